using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The result tables as the typed exports (results.xlsx, results.gpkg, PostGIS) carry them: the
/// three tables of spec §6 with the columns of <see cref="CsvTables"/>, the per-operator summary as a
/// table, and the French heading of every column (glossary words) for the people who read them.
/// </summary>
public static class ResultTables
{
    /// <summary>One table: the spec's column names (files and databases), their types, and the rows.</summary>
    public sealed record Table(string Name, string[] Columns, ColumnType[] Types, IEnumerable<object?[]> Rows);

    public static readonly string[] SummaryColumns =
    [
        "cell_layer", "operator", "label", "zones", "zones_nested_pct", "cells_coterminous_pct", "cells_aligned_pct",
        "partners_mean", "partners_max", "gap_km2", "pop_gap", "double_km2", "pop_double", "alignment", "pop_alignment",
    ];

    public static readonly ColumnType[] SummaryTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real,
    ];

    /// <summary>Every comparison: the cells against each operator, then each operator against another.</summary>
    public static IEnumerable<Comparison> AllComparisons(AnalysisResult r) => r.Comparisons.Concat(r.OperatorPairs);

    public static Table Summary(AnalysisResult r) => new("summary", SummaryColumns, SummaryTypes, AllComparisons(r).Select(c =>
    {
        var s = c.Summary;
        string? label = c.CellLayer == "cells" ? r.Infos.FirstOrDefault(i => i.Key == c.Operator)?.Label : null;
        return new object?[]
        {
            s.CellLayer, s.Operator, label, s.Zones, s.ZonesNestedPct, s.CellsCoterminousPct, s.CellsAlignedPct,
            s.PartnersMean, s.PartnersMax, s.GapKm2, s.PopGap, s.DoubleKm2, s.PopDouble, s.Alignment, s.PopAlignment,
        };
    }));

    public static Table Pairs(AnalysisResult r) =>
        new("pairs", CsvTables.PairColumns, CsvTables.PairTypes, AllComparisons(r).SelectMany(c => c.Pairs).Select(CsvTables.PairValues));

    public static Table Cells(AnalysisResult r) =>
        new("cells", AnalysisOutputs.CellColumns(r), AnalysisOutputs.CellTypes(r), AnalysisOutputs.CellRows(r));

    public static Table Zones(AnalysisResult r) =>
        new("zones", CsvTables.ZoneColumns, CsvTables.ZoneTypes, AllComparisons(r).SelectMany(c => c.Zones).Select(CsvTables.ZoneValues));

    /// <summary>The tables of every analysis (the summary, cells, pairs, zones), and sites where the study has them.</summary>
    public static IReadOnlyList<Table> Analysis(AnalysisResult r) => r.Sites.Count == 0
        ? [Summary(r), Cells(r), Pairs(r), Zones(r)]
        : [Summary(r), Cells(r), Pairs(r), Zones(r), Sites(r)];

    public static readonly string[] SiteTableColumns = ["operator", "cell_id", "cell_name", "pop", .. CsvTables.SiteColumns];

    public static readonly ColumnType[] SiteTableTypes = [ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, .. CsvTables.SiteTypes];

    /// <summary>Spec §9 per operator with sites × cell: the rows of cells.csv that carry site figures, without the zone columns.</summary>
    public static Table Sites(AnalysisResult r) => new("sites", SiteTableColumns, SiteTableTypes, r.Sites.SelectMany(s =>
        Enumerable.Range(0, s.Cells.Count).Select(i => (object?[])
            [s.Operator, r.Cells.Features[i].Id, r.Cells.Features[i].Name, s.Cells[i].Pop, .. CsvTables.SiteValues(s.Cells[i])])));

    /// <summary>A layer of features: columns with their types, and features <c>0 .. Count-1</c> (geometry in the study's CRS, values).</summary>
    /// <param name="Geometry">Feature i's geometry (made when asked for: a gap's is a union of faces).</param>
    /// <param name="Values">Feature i's values, in the order of <paramref name="Columns"/>.</param>
    /// <param name="Points">Point features already in WGS 84 lon/lat (sites); else MultiPolygons in the study's CRS.</param>
    public sealed record FeatureTable(string Name, string Label, IReadOnlyList<(string Name, ColumnType Type)> Columns,
        int Count, Func<int, Geometry> Geometry, Func<int, object?[]> Values, bool Points = false)
    {
        /// <summary>
        /// Where feature i is one face of the mosaic: its rings (shell first, closed x, y pairs, views of
        /// the mosaic's arrays), which a writer can read without making the polygon; else null.
        /// </summary>
        public Func<int, IReadOnlyList<ReadOnlyMemory<double>>?>? FaceRings { get; init; }

        /// <summary>Every feature in order, its geometry made.</summary>
        public IEnumerable<(Geometry Geometry, object?[] Values)> Rows => Enumerable.Range(0, Count).Select(i => (Geometry(i), Values(i)));
    }

    /// <summary>A Polygon as a MultiPolygon of one: layers of one geometry type.</summary>
    public static MultiPolygon AsMultiPolygon(Geometry g) => g switch
    {
        MultiPolygon m => m,
        Polygon p => g.Factory.CreateMultiPolygon([p]),
        _ => g.Factory.CreateMultiPolygon([.. Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>()]),
    };

    public static FeatureTable CellsLayer(AnalysisResult r)
    {
        var cells = r.Cells.Features;
        var columns = new List<(string Name, ColumnType Type)> { ("cell_id", ColumnType.Text), ("cell_name", ColumnType.Text) };
        if (cells.Count > 0)
            foreach (var (name, _) in AnalysisOutputs.CellMetricProperties(r, 0))
                columns.Add((name, ResultTables.CellMetricType(MetricOf(name, r))));
        // Spec §9 as {key}_{metric} for every operator with sites, as in cells.geojson.
        foreach (var s in r.Sites)
            for (int k = 0; k < CsvTables.SiteColumns.Length; k++)
                columns.Add((s.Operator + "_" + CsvTables.SiteColumns[k], CsvTables.SiteTypes[k]));
        // The {key}_{metric} names made once for the layer, not once per cell (fifteen strings each).
        var names = AnalysisOutputs.MetricNames(r);
        return new FeatureTable("cells", r.Infos[0].Label, columns, cells.Count, i => cells[i].Geometry, i =>
        {
            var metrics = new List<KeyValuePair<string, object?>>(columns.Count);
            AnalysisOutputs.AddCellMetricProperties(metrics, r, i, names);
            var values = new object?[columns.Count];
            int k = 0;
            values[k++] = cells[i].Id;
            values[k++] = cells[i].Name;
            foreach (var (_, value) in metrics) values[k++] = value;
            foreach (var s in r.Sites)
                foreach (var value in CsvTables.SiteValues(s.Cells[i])) values[k++] = value;
            return values;
        });
    }

    public static readonly (string Name, ColumnType Type)[] SiteLayerColumns =
    [
        ("site_id", ColumnType.Text), ("site_name", ColumnType.Text), ("operator", ColumnType.Text), ("cell_id", ColumnType.Text),
        ("lon", ColumnType.Real), ("lat", ColumnType.Real),
    ];

    /// <summary>
    /// One operator's sites as points in lon/lat: id, name, operator and the cell(s) the site lies in
    /// (cell ids joined by ", " when it lies on a shared boundary; empty outside the territory).
    /// </summary>
    public static FeatureTable SitesLayer(AnalysisResult r, SiteComparison s)
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var sites = s.Sites;
        return new FeatureTable("sites_" + s.Operator, s.Label, SiteLayerColumns, sites.Count,
            i => factory.CreatePoint(new Coordinate(sites[i].Lon, sites[i].Lat)),
            i => [sites[i].Id, sites[i].Name, s.Operator, string.Join(", ", sites[i].Cells.Select(c => r.Cells.Features[c].Id)), sites[i].Lon, sites[i].Lat],
            Points: true);
    }

    /// <summary><c>ml_pop_misfit</c> → <c>pop_misfit</c>: the operator key is a prefix the study chose.</summary>
    private static string MetricOf(string column, AnalysisResult r)
    {
        foreach (var c in r.Comparisons)
            if (column.StartsWith(c.Operator + "_", StringComparison.Ordinal))
                return column[(c.Operator.Length + 1)..];
        return column;
    }

    public static readonly (string Name, ColumnType Type)[] GapColumns =
    [
        ("defect_id", ColumnType.Text), ("kind", ColumnType.Text), ("operator", ColumnType.Text), ("cell_id", ColumnType.Text),
        ("cell_name", ColumnType.Text), ("zone_ids", ColumnType.Text), ("area_km2", ColumnType.Real), ("population", ColumnType.Real),
        ("share_of_cell", ColumnType.Real), ("width_m", ColumnType.Real),
    ];

    public static FeatureTable GapsLayer(AnalysisResult r)
    {
        var defects = r.Comparisons.SelectMany(cmp => cmp.Defects).ToArray();
        // The kind by its spec name (gap, straddle…), as gaps.geojson and the QGIS style's categories
        // spell it: the enum itself was stored as its number.
        // A list does not fit a GeoPackage column: the zone codes joined, as a reader types them.
        return new FeatureTable("gaps", "gaps", GapColumns, defects.Length, i => r.DefectGeometry(defects[i]), i =>
        {
            var d = defects[i];
            return [d.Id, d.Kind.Name(), d.Operator, d.CellId, d.CellName, string.Join(", ", d.ZoneIds), d.AreaKm2, d.Pop, d.ShareOfCell, d.WidthM];
        })
        {
            FaceRings = i => r.DefectRingsXY(defects[i]),
        };
    }

    public static readonly (string Name, ColumnType Type)[] ZoneLayerColumns =
    [
        ("zone_id", ColumnType.Text), ("zone_name", ColumnType.Text), ("area_km2", ColumnType.Real), ("pop", ColumnType.Real),
        ("cells", ColumnType.Integer), ("main_cell", ColumnType.Text), ("main_share", ColumnType.Real), ("nested", ColumnType.Boolean),
        ("outside_km2", ColumnType.Real),
    ];

    public static FeatureTable ZonesLayer(AnalysisResult r, int layer)
    {
        var info = r.Infos[layer];
        var metrics = r.Comparisons.FirstOrDefault(x => x.Operator == info.Key)?.Zones.ToDictionary(z => z.ZoneId, StringComparer.Ordinal)
            ?? new Dictionary<string, ZoneMetric>(StringComparer.Ordinal);
        var features = r.Layers[layer].Features;
        return new FeatureTable("zones_" + info.Key, info.Label, ZoneLayerColumns, features.Count, i => features[i].Geometry, i =>
        {
            var f = features[i];
            var m = metrics.GetValueOrDefault(f.Id);
            return [f.Id, f.Name, m?.AreaKm2, m?.Pop, m?.Cells, m?.MainCell, m?.MainShare, m?.Nested, m?.OutsideKm2];
        });
    }

    /// <summary>The type of a <c>{key}_{metric}</c> column of the cells layer (its metric's type in cells.csv).</summary>
    public static ColumnType CellMetricType(string metric)
    {
        int i = Array.IndexOf(CsvTables.CellColumns, metric);
        if (i >= 0) return CsvTables.CellTypes[i];
        i = Array.IndexOf(CsvTables.SiteColumns, metric);
        return i >= 0 ? CsvTables.SiteTypes[i] : ColumnType.Real;
    }

    /// <summary>
    /// The French heading of a column of table <paramref name="table"/>: the glossary's word from
    /// <see cref="PlannerStyle.Words"/> where it has one, else the glossary's words composed here.
    /// </summary>
    public static string FrenchHeading(string table, string column) =>
        (table, column) switch
        {
            ("zones", "cells") => PlannerStyle.Word("cells", "fr"),
            ("cells", "nested") => "Zones incluses",
            ("summary", "zones") => "Zones d'intervention",
            ("summary", "label") => "Réseau",
            (_, "dist_mean_km" or "dist_p90_km") => PlannerStyle.Word(column, "fr") + " (km)",
            _ when PlannerStyle.Words.TryGetValue(column, out var term) => term.Fr,
            _ => FrenchWords.TryGetValue(column, out var w) ? w : column,
        };

    private static readonly Dictionary<string, string> FrenchWords = new(StringComparer.Ordinal)
    {
        ["cell_layer"] = "Couche des territoires",
        ["cell_id"] = "Territoire (code)",
        ["cell_name"] = "Territoire",
        ["operator"] = "Opérateur",
        ["zone_id"] = "Zone d'intervention (code)",
        ["zone_name"] = "Zone d'intervention",
        ["area_km2"] = "Surface (km²)",
        ["pop"] = "Population",
        ["share_of_cell"] = "Part du territoire",
        ["share_of_zone"] = "Part de la zone",
        ["pop_share_of_cell"] = "Part du territoire en population",
        ["pop_share_of_zone"] = "Part de la zone en population",
        ["significant"] = "Significative",
        ["coverage"] = "Couverture",
        ["pop_coverage"] = "Couverture en population",
        ["gap_km2"] = "Zone blanche (km²)",
        ["pop_gap"] = "Zone blanche en population",
        ["double_km2"] = "Double couverture (km²)",
        ["pop_double"] = "Double couverture en population",
        ["partners"] = "Interlocuteurs",
        ["dominant_zone"] = "Zone principale",
        ["dominant_share"] = "Part de la zone principale",
        ["nested"] = "Zones incluses",
        ["straddling"] = "Zones à cheval",
        ["misfit"] = "Désalignement",
        ["pop_misfit"] = "Désalignement en population",
        ["coterminous"] = "Mêmes limites",
        ["aligned"] = "Aligné",
        ["main_cell"] = "Territoire principal",
        ["main_share"] = "Part dans le territoire principal",
        ["outside_km2"] = "Hors du territoire étudié (km²)",
        ["zones_nested_pct"] = "Zones incluses (%)",
        ["cells_coterminous_pct"] = "Territoires aux mêmes limites (%)",
        ["cells_aligned_pct"] = "Territoires alignés (%)",
        ["partners_mean"] = "Interlocuteurs (moyenne)",
        ["partners_max"] = "Interlocuteurs (maximum)",
        ["alignment"] = "Alignement",
        ["pop_alignment"] = "Alignement en population",
        ["perimeter_id"] = "Périmètre (code)",
        ["perimeter_name"] = "Périmètre",
        ["units"] = "Unités (communes)",
        ["contiguous"] = "D'un seul tenant",
        ["parts"] = "Morceaux",
        ["today_cell"] = "Territoire actuel",
        ["before_cell"] = "Territoire actuel",
        ["moved_km2"] = "Surface qui change de territoire (km²)",
        ["design"] = "Proposition",
        ["area_km2_before"] = "Surface avant (km²)",
        ["area_km2_after"] = "Surface après (km²)",
        ["pop_before"] = "Population avant",
        ["pop_after"] = "Population après",
        ["area_gained_km2"] = "Surface gagnée (km²)",
        ["area_lost_km2"] = "Surface perdue (km²)",
        ["pop_gained"] = "Habitants gagnés",
        ["pop_lost"] = "Habitants perdus",
        ["partners_before"] = "Interlocuteurs avant",
        ["partners_after"] = "Interlocuteurs après",
        ["new_partners"] = "Nouveaux interlocuteurs",
        ["misfit_before"] = "Désalignement avant",
        ["misfit_after"] = "Désalignement après",
        ["pop_misfit_before"] = "Désalignement en population avant",
        ["pop_misfit_after"] = "Désalignement en population après",
        ["coterminous_before"] = "Mêmes limites avant",
        ["coterminous_after"] = "Mêmes limites après",
        ["unit_layer"] = "Couche des unités",
        ["unit_id"] = "Unité (code)",
        ["unit_name"] = "Unité",
        ["from_cell"] = "Territoire de départ",
        ["to_perimeter"] = "Périmètre d'arrivée",
        ["moved"] = "Change de territoire",
        ["layer_a"] = "Couche A",
        ["id_a"] = "Code A",
        ["name_a"] = "Nom A",
        ["layer_b"] = "Couche B",
        ["id_b"] = "Code B",
        ["name_b"] = "Nom B",
        ["parts_after_removal"] = "Morceaux sans ce chevauchement",
        ["detached_cells"] = "Territoires détachés",
        ["detached_area_km2"] = "Surface détachée (km²)",
        ["detached_pop"] = "Habitants détachés",
    };
}
