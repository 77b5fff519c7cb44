using System.Globalization;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CepGeo.Core.Projection;
using CepGeo.Core.Validation;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Pipeline;

/// <summary>
/// The one place that knows the order of the steps: load → project → mosaic → weights → metrics.
/// Files are opened by the caller's loader; progress is reported by step name.
/// </summary>
public static class Analysis
{
    public const string StepLoad = "load";
    public const string StepProject = "project";
    public const string StepMosaic = "mosaic";
    public const string StepMetrics = "metrics";
    /// <summary>Distances to the operators' sites (spec §9); a step only when the study has sites.</summary>
    public const string StepSites = "sites";

    /// <summary>A sub-step of the mosaic as <see cref="Run"/> reports it (<c>mosaic.faces</c>).</summary>
    public static string MosaicStep(string sub) => $"{StepMosaic}.{sub}";

    /// <param name="loadLayer">Opens and reads one layer of the study (cells or an operator). The layer
    /// is the run's: its geometries are projected where they are, so they must not be shared.</param>
    /// <param name="loadWeights">Opens and reads the weights layer (the run's too).</param>
    /// <param name="onStep">Called as each step starts (for progress bars and timings).</param>
    /// <param name="cancellationToken">Checked as each step and sub-step starts and between layers and
    /// comparisons; cancelling throws <see cref="OperationCanceledException"/> and nothing is returned.</param>
    /// <param name="loadSites">Reads an operator's sites (spec §9); needed when the study names some.</param>
    public static AnalysisResult Run(Study study, Func<LayerSpec, Layer> loadLayer, Func<WeightsSpec, Layer> loadWeights,
        Action<string>? onStep = null, CancellationToken cancellationToken = default, Func<SitesSpec, SiteLayer>? loadSites = null)
    {
        void Step(string name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            onStep?.Invoke(name);
            cancellationToken.ThrowIfCancellationRequested();
        }

        Step(StepLoad);
        var specs = new List<LayerSpec> { study.Cells };
        specs.AddRange(study.Operators);
        // Readers return what the file holds; invalid polygons are repaired here (each repair is
        // listed in the load report with its areas).
        // Layers are independent: read them side by side (the national communes file alone takes
        // seconds). The first input error in study order is the one reported.
        var weightsTask = study.Weights is null ? null
            : Task.Run(() => LayerRepair.Repair(loadWeights(study.Weights)), cancellationToken);
        var loaded = InStudyOrder(specs.AsParallel().AsOrdered().WithCancellation(cancellationToken)
            .Select(s => LayerRepair.Repair(loadLayer(s))));
        var weights = weightsTask is null ? null : InStudyOrder(weightsTask);
        var values = weights is null ? null : WeightValues(weights, study.Weights!);
        if (weights is not null) loaded.Add(weights);
        var siteLayers = study.SiteOperators.Select(o => (o, (loadSites ?? throw new InvalidOperationException("the study has sites and no site loader was given"))(o.Sites!)))
            .ToList();

        Step(StepProject);
        var bounds = LonLatBounds(loaded);
        var crs = EqualArea.Choose(study.Crs, bounds);
        EqualArea.CheckCentre(crs, bounds);
        var load = study.Notes.Concat(loaded.SelectMany(l => l.Report)).Concat(siteLayers.SelectMany(s => s.Item2.Report)).ToList();
        // In place: a copy of every ring of a national layer was tens of MB to allocate and collect.
        var projected = loaded.Select(l => Reprojector.Project(l, crs, inPlace: true)).ToList();
        loaded.Clear();

        Step(StepMosaic);
        var mosaic = Mosaic.Build(projected.Select(l => (IReadOnlyList<Geometry>)l.Features.Select(f => f.Geometry).ToList()).ToList(),
            onStep: onStep is null && !cancellationToken.CanBeCanceled ? null : sub => Step(MosaicStep(sub)));

        Step(StepMetrics);
        var pop = values is null ? null : Population.PerFace(mosaic, specs.Count, values);
        var infos = specs.Select((s, i) => new LayerInfo(s.Key, s.Label,
            projected[i].Features.Select(f => f.Id).ToArray(), projected[i].Features.Select(f => f.Name).ToArray())).ToList();
        var comparisons = new List<Comparison>();
        for (int k = 1; k < specs.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            comparisons.Add(Compare.Run(mosaic, 0, infos[0], k, infos[k], pop, study.Tolerances));
        }
        var pairs = new List<Comparison>();
        for (int a = 1; a < specs.Count; a++)
            for (int b = a + 1; b < specs.Count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pairs.Add(Compare.Run(mosaic, a, infos[a], b, infos[b], pop, study.Tolerances, withDefects: false));
            }

        if (siteLayers.Count > 0) Step(StepSites);
        var sites = SitesStep.Run(siteLayers, crs, projected[0], weights is null ? null : projected[^1], values, mosaic,
            specs.Count, study.Tolerances, cancellationToken, load);

        return new AnalysisResult(study, crs, projected, infos, mosaic, pop, comparisons, pairs, load, sites);
    }

    /// <summary>Runs parallel loading, turning its AggregateException back into the user's input error.</summary>
    private static List<Layer> InStudyOrder(ParallelQuery<Layer> query)
    {
        try { return query.ToList(); }
        catch (AggregateException e) { throw FirstInputError(e); }
    }

    private static Layer InStudyOrder(Task<Layer> task)
    {
        try { return task.GetAwaiter().GetResult(); }
        catch (AggregateException e) { throw FirstInputError(e); }
    }

    private static Exception FirstInputError(AggregateException e)
    {
        var flat = e.Flatten().InnerExceptions;
        return flat.OfType<CepGeoInputException>().FirstOrDefault()
            ?? flat.OfType<OperationCanceledException>().FirstOrDefault() ?? (Exception)e;
    }

    /// <summary>The count of each weight polygon: must be a finite, non-negative number (validate checks it too).</summary>
    public static double[] WeightValues(Layer weights, WeightsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(spec);
        if (weights.Features.Count > 0 && weights.Features.All(f => !f.Attributes.ContainsKey(spec.ValueField)))
        {
            string found = string.Join(", ", weights.Features[0].Attributes.Keys);
            throw new CepGeoInputException(weights.Source, null, new Phrase(
                $"aucune entité n'a la propriété \"{spec.ValueField}\" (le champ de population, \"value\" des weights) ; propriétés : {found}",
                $"no feature has the property \"{spec.ValueField}\" (the weights' count field, weights.value); properties found: {found}"));
        }
        var values = new double[weights.Features.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var f = weights.Features[i];
            if (!f.Attributes.TryGetValue(spec.ValueField, out var v) || v is null)
                throw new CepGeoInputException(weights.Source, f.Id, new Phrase($"pas de valeur dans \"{spec.ValueField}\" (le champ de population)",
                    $"no value in \"{spec.ValueField}\" (the weights' count field)"));
            double d = v switch
            {
                double x => x,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) => x,
                IConvertible c => SafeConvert(c),
                _ => double.NaN,
            };
            if (!double.IsFinite(d) || d < 0)
                throw new CepGeoInputException(weights.Source, f.Id, new Phrase($"\"{spec.ValueField}\" = {v} n'est pas un nombre positif ou nul",
                    $"\"{spec.ValueField}\" = {v} is not a non-negative number"));
            values[i] = d;
        }
        return values;

        static double SafeConvert(IConvertible c)
        {
            try { return c.ToDouble(CultureInfo.InvariantCulture); }
            catch (FormatException) { return double.NaN; }
            catch (InvalidCastException) { return double.NaN; }
        }
    }

    /// <summary>
    /// Refuses a lon/lat polygon spanning more than a hemisphere's width (180° of longitude, 90° of
    /// latitude) or reaching a pole: no plane projection measures it (a whole-world cell came out as
    /// 0 km², a polar cap as 1.5e-10 km²).
    /// </summary>
    private static void CheckMeasurable(string source, string? feature, Envelope e)
    {
        if (e.IsNull || (e.Width <= 180 && e.Height <= 90 && e.MaxY < 89.99 && e.MinY > -89.99)) return;
        string box = string.Create(CultureInfo.InvariantCulture, $"{e.MinX:0.##},{e.MinY:0.##} → {e.MaxX:0.##},{e.MaxY:0.##}");
        throw new CepGeoInputException(source, feature, new Phrase(
            $"ce polygone couvre un hémisphère ou un pôle ({box}) : aucune projection plane ne peut le mesurer ; "
            + "une cellule ou une zone d'une étude régionale ou nationale tient sur quelques degrés",
            $"this polygon covers a hemisphere or a pole ({box}): no plane projection can measure it; "
            + "a cell or zone of a regional or national study spans a few degrees"));
    }

    /// <summary>The lon/lat bounding box of all layers (to pick the equal-area projection).</summary>
    private static Envelope LonLatBounds(IEnumerable<Layer> layers)
    {
        var env = new Envelope();
        foreach (var layer in layers)
        {
            var own = new Envelope();
            foreach (var f in layer.Features) own.ExpandToInclude(f.Geometry.EnvelopeInternal);
            if (own.IsNull) continue;
            var box = new GeometryFactory().ToGeometry(own);
            var toLonLat = Reprojector.Create(layer.Crs, CrsRef.Wgs84Default, layer.Source);
            if (toLonLat.IsIdentity)
                foreach (var f in layer.Features) CheckMeasurable(layer.Source, f.Id, f.Geometry.EnvelopeInternal);
            env.ExpandToInclude(toLonLat.Transform(box).EnvelopeInternal);
        }
        return env;
    }
}
