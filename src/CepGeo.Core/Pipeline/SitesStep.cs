using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CepGeo.Core.Projection;
using CepGeo.Core.Loading.Zones;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CepGeo.Core.Pipeline;

/// <summary>
/// Spec §9 for every operator with sites: places the sites (points, or commune centroids), the
/// residents at their unit's centroid (in the study's equal-area CRS), finds each unit's nearest site
/// and sums the figures per cell and over the territory.
/// </summary>
public static class SitesStep
{
    /// <param name="cells">The cells, projected to <paramref name="crs"/>.</param>
    /// <param name="weights">The weights units, projected, or null without weights.</param>
    /// <param name="values">The units' counts (null without weights).</param>
    /// <param name="weightLayer">The weights' layer number in the mosaic.</param>
    /// <param name="notes">Receives a load-report note for each site placed at a commune's centroid that falls
    /// outside that commune (a commune in several parts: its centroid may lie in the sea between them).</param>
    public static List<SiteComparison> Run(
        IReadOnlyList<(LayerSpec Spec, SiteLayer Layer)> operators, CrsRef crs, Layer cells,
        Layer? weights, double[]? values, Mosaic mosaic, int weightLayer, Tolerances tolerances,
        CancellationToken cancellationToken = default, ICollection<LoadIssue>? notes = null)
    {
        var results = new List<SiteComparison>();
        if (operators.Count == 0) return results;

        var toLonLat = Reprojector.Create(crs, CrsRef.Wgs84Default);
        Units? units = weights is null || values is null ? null : Units.Of(weights, toLonLat);
        var shares = units is null ? default : SiteMetrics.UnitShares(mosaic, 0, weightLayer, values!, cells.Features.Count);
        var locator = new CellLocator(cells);

        foreach (var (spec, layer) in operators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var placed = Place(spec, layer, crs, units, locator, notes);
            double[]? distance = null;
            int[]? nearest = null;
            if (units is not null)
            {
                var index = new NearestSite(placed.Select(s => s.Lon).ToArray(), placed.Select(s => s.Lat).ToArray());
                distance = new double[units.Count];
                nearest = new int[units.Count];
                Parallel.For(0, units.Count, u => (nearest[u], distance[u]) = index.Find(units.Lon[u], units.Lat[u]));
            }

            var perCell = new int[cells.Features.Count];
            int inTerritory = 0;
            foreach (var s in placed)
            {
                foreach (int c in s.Cells) perCell[c]++;
                if (s.Cells.Count > 0) inTerritory++;
            }
            var rows = new SiteMetric[cells.Features.Count];
            for (int c = 0; c < rows.Length; c++)
                rows[c] = SiteMetrics.Row(cells.Features[c].Id, spec.Key, perCell[c], units is null ? null : shares.PerCell[c], distance, tolerances.BeyondKm);
            var territoryPieces = units is null ? null
                : shares.InTerritory.Select((p, u) => (u, p)).Where(x => x.p > 0).ToList();
            var territory = SiteMetrics.Row("", spec.Key, inTerritory, territoryPieces, distance, tolerances.BeyondKm);
            results.Add(new SiteComparison(spec.Key, spec.Label, placed, rows, territory, distance, nearest, units is null ? null : shares.InTerritory));
        }
        return results;
    }

    /// <summary>
    /// Spec §9 for new cells drawn on the same mosaic (a design's or a plan's perimeters): the sites and
    /// each unit's nearest-site distance do not depend on the cells, so <paramref name="before"/>'s are kept;
    /// the sites are located in the new cells and the figures summed per new cell, as <see cref="Run"/> does.
    /// </summary>
    /// <param name="after">The analysis with the new cells (its own site figures, if any, are ignored).</param>
    /// <param name="before">The analysis of today's cells, whose sites are re-measured.</param>
    public static List<SiteComparison> Remeasure(AnalysisResult after, AnalysisResult before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        var results = new List<SiteComparison>();
        if (before.Sites.Count == 0) return results;
        var cells = after.Cells;
        int n = cells.Features.Count;
        var weights = after.WeightsLayer;
        double[]? values = weights is null || after.Study.Weights is null ? null : Analysis.WeightValues(weights, after.Study.Weights);
        var shares = values is null ? default : SiteMetrics.UnitShares(after.Mosaic, 0, after.Layers.Count - 1, values, n);
        var locator = new CellLocator(cells);
        double beyondKm = after.Study.Tolerances.BeyondKm;
        foreach (var old in before.Sites)
        {
            var placed = old.Sites.Select(s => s with { Cells = locator.CellsAt(s.X, s.Y) }).ToList();
            var perCell = new int[n];
            int inTerritory = 0;
            foreach (var s in placed)
            {
                foreach (int c in s.Cells) perCell[c]++;
                if (s.Cells.Count > 0) inTerritory++;
            }
            var distance = values is null ? null : old.UnitDistanceKm;
            var rows = new SiteMetric[n];
            for (int c = 0; c < n; c++)
                rows[c] = SiteMetrics.Row(cells.Features[c].Id, old.Operator, perCell[c], values is null ? null : shares.PerCell[c], distance, beyondKm);
            var territoryPieces = values is null ? null : shares.InTerritory.Select((p, u) => (u, p)).Where(x => x.p > 0).ToList();
            var territory = SiteMetrics.Row("", old.Operator, inTerritory, territoryPieces, distance, beyondKm);
            results.Add(new SiteComparison(old.Operator, old.Label, placed, rows, territory, distance, old.UnitNearest,
                values is null ? null : shares.InTerritory));
        }
        return results;
    }

    /// <summary>Each site's lon/lat and equal-area x/y; a commune code goes to that unit's centroid.</summary>
    private static List<PlacedSite> Place(LayerSpec spec, SiteLayer layer, CrsRef crs, Units? units, CellLocator locator, ICollection<LoadIssue>? notes)
    {
        var sites = layer.Sites;
        var lon = new double[sites.Count];
        var lat = new double[sites.Count];
        var x = new double[sites.Count];
        var y = new double[sites.Count];
        bool any = false;
        for (int i = 0; i < sites.Count; i++)
        {
            (lon[i], lat[i], x[i], y[i]) = (sites[i].X, sites[i].Y, sites[i].X, sites[i].Y);
            any |= sites[i].Commune is null;
        }
        if (any)
        {
            Reprojector.Create(layer.Crs, CrsRef.Wgs84Default, layer.Source).Transform(lon, lat);
            Reprojector.Create(layer.Crs, crs, layer.Source).Transform(x, y);
        }
        var placed = new List<PlacedSite>(sites.Count);
        for (int i = 0; i < sites.Count; i++)
        {
            var s = sites[i];
            if (s.Commune is { } code)
            {
                if (units is null)
                    throw new CepGeoInputException(layer.Source, $"{s.Id} ({s.Where})",
                        new Phrase($"est placé par code commune ({code}), ce qui demande la couche de pondération de l'étude (les communes) pour trouver le centroïde de la commune",
                            $"is placed by commune code ({code}), which needs the study's weights layer (the communes) to find the commune's centroid"));
                int u = units.Find(code, spec.Sites!.CommuneCodeField)
                    ?? throw new CepGeoInputException(layer.Source, $"{s.Id} ({s.Where})",
                        new Phrase($"le code commune \"{code}\" ne correspond à aucune unité de la couche de pondération (propriété \"{spec.Sites!.CommuneCodeField}\")",
                            $"commune code \"{code}\" matches no unit of the weights layer (property \"{spec.Sites!.CommuneCodeField}\")"));
                (lon[i], lat[i], x[i], y[i]) = (units.Lon[u], units.Lat[u], units.X[u], units.Y[u]);
            }
            if (!double.IsFinite(lon[i]) || !double.IsFinite(lat[i]))
                throw new CepGeoInputException(layer.Source, $"{s.Id} ({s.Where})", new Phrase("ne peut pas être placé en longitude/latitude (ses coordonnées ne vont pas avec le SCR de la couche)",
                    "cannot be placed in longitude/latitude (its coordinates do not fit the layer's CRS)"));
            var inCells = locator.CellsAt(x[i], y[i]);
            if (s.Commune is { } placedCode && units is not null && notes is not null)
                NoteCentroidOutside(notes, layer.Source, s, placedCode, units, units.Find(placedCode, spec.Sites!.CommuneCodeField)!.Value, inCells.Count);
            placed.Add(new PlacedSite(s.Id, s.Name, lon[i], lat[i], x[i], y[i], inCells));
        }
        return placed;
    }

    /// <summary>
    /// A commune's centroid outside the commune: the spec places the site there (and the commune's residents too,
    /// so their distance to it stays 0), but the site may then lie in no cell, which the planner must be told.
    /// Found on PACA: Hyères (83069), mainland and the îles d'Hyères, has its centroid in the sea.
    /// </summary>
    private static void NoteCentroidOutside(ICollection<LoadIssue> notes, string source, Site s, string code, Units units, int u, int cells)
    {
        var commune = units.Layer.Features[u];
        if (commune.Geometry.Covers(commune.Geometry.Factory.CreatePoint(new Coordinate(units.X[u], units.Y[u])))) return;
        int parts = commune.Geometry.NumGeometries;
        string? nom = commune.Name != commune.Id && !string.IsNullOrWhiteSpace(commune.Name) ? commune.Name
            : commune.Attributes.TryGetValue("nom", out var n) && n is string text ? text : null;
        string name = nom is null ? code : $"{code} ({nom})";
        var words = new Phrase(
            $"placé au centroïde de la commune {name}, qui tombe hors de la commune{(parts > 1 ? $" (commune en {parts} parties)" : "")} et "
            + (cells == 0 ? "hors de tout territoire : ce lieu d'accueil n'est compté dans aucun territoire" : "compté dans le territoire où tombe ce point, qui peut ne pas être celui de la commune")
            + " ; les distances sont mesurées depuis ce point, où sont placés aussi les habitants de la commune",
            $"placed at the centroid of commune {name}, which lies outside the commune{(parts > 1 ? $", a commune in {parts} parts," : "")} and "
            + (cells == 0 ? "in no cell: this site counts in no cell's sites" : "counted in the cell where that point lies, which may not be the commune's")
            + "; distances are measured from that point, where the commune's residents are placed too");
        notes.Add(new LoadIssue(source, s.Id, LoadIssueKind.Note, words.En, Words: words));
    }

    /// <summary>The weights units' centroids (equal-area CRS and lon/lat) and their commune codes.</summary>
    private sealed class Units
    {
        public required double[] X, Y, Lon, Lat;
        public required Layer Layer;
        private readonly Dictionary<string, Dictionary<string, int>> _byCode = [];

        public int Count => X.Length;

        public static Units Of(Layer weights, Reprojector toLonLat)
        {
            int n = weights.Features.Count;
            var x = new double[n];
            var y = new double[n];
            Parallel.For(0, n, u =>
            {
                var c = weights.Features[u].Geometry.Centroid;
                (x[u], y[u]) = (c.X, c.Y);
            });
            double[] lon = [.. x], lat = [.. y];
            toLonLat.Transform(lon, lat);
            return new Units { X = x, Y = y, Lon = lon, Lat = lat, Layer = weights };
        }

        /// <summary>The unit whose <paramref name="field"/> holds the code, or, for an arrondissement of Paris, Lyon or Marseille, the city's.</summary>
        public int? Find(string code, string field)
        {
            if (!_byCode.TryGetValue(field, out var map))
            {
                map = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int u = 0; u < Layer.Features.Count; u++)
                    if (Layer.Features[u].Attributes.TryGetValue(field, out var v) && AttributeValues.AsId(v) is { Length: > 0 } key)
                        map.TryAdd(key, u);
                _byCode[field] = map;
            }
            if (map.TryGetValue(code, out int found)) return found;
            return Arrondissements.CommuneOf(code) is { } city && map.TryGetValue(city, out found) ? found : null;
        }
    }

    /// <summary>The cells a point lies in (interior or boundary), through an R-tree of their envelopes.</summary>
    private sealed class CellLocator
    {
        private readonly STRtree<int> _tree = new();
        private readonly IndexedPointInAreaLocator?[] _locators;
        private readonly Layer _cells;

        public CellLocator(Layer cells)
        {
            _cells = cells;
            _locators = new IndexedPointInAreaLocator?[cells.Features.Count];
            for (int c = 0; c < cells.Features.Count; c++) _tree.Insert(cells.Features[c].Geometry.EnvelopeInternal, c);
            _tree.Build();
        }

        public IReadOnlyList<int> CellsAt(double x, double y)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) return [];
            var p = new Coordinate(x, y);
            var found = new List<int>();
            foreach (int c in _tree.Query(new Envelope(p)).OrderBy(c => c))
            {
                var locator = _locators[c] ??= new IndexedPointInAreaLocator(_cells.Features[c].Geometry);
                if (locator.Locate(p) != Location.Exterior) found.Add(c);
            }
            return found;
        }
    }
}
