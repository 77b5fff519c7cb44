using System.Text;
using System.Text.Json.Nodes;
using CepGeo.Core.Design;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The files every design writes: design.geojson (the proposed perimeters, each with <c>id</c>, <c>name</c>
/// and every per-operator metric after → before), design.csv (before/after per perimeter and operator),
/// moves.csv (which unit goes from which cell to which perimeter); nest adds glue.csv.
/// design.geojson has the shape of analyze's cells.geojson, so it can be used as the cells of a new study.
/// </summary>
public static class DesignOutputs
{
    public static readonly string[] ChangeColumns =
    [
        "design", "perimeter_id", "perimeter_name", "before_cell", "operator", "area_km2_before", "area_km2_after",
        "pop_before", "pop_after", "area_gained_km2", "area_lost_km2", "pop_gained", "pop_lost",
        "partners_before", "partners_after", "new_partners", "misfit_before", "misfit_after",
        "pop_misfit_before", "pop_misfit_after", "coterminous_before", "coterminous_after",
    ];

    public static readonly string[] MoveColumns =
        ["design", "unit_layer", "unit_id", "unit_name", "from_cell", "to_perimeter", "area_km2", "pop", "moved"];

    public static readonly string[] GlueColumns =
    [
        "layer_a", "id_a", "name_a", "layer_b", "id_b", "name_b", "area_km2", "pop",
        "parts_after_removal", "detached_cells", "detached_area_km2", "detached_pop",
    ];

    public static IReadOnlyList<string> FileNames(DesignResult d) =>
        d.Nest is null ? ["design.geojson", "design.csv", "moves.csv"] : ["design.geojson", "design.csv", "moves.csv", "glue.csv"];

    /// <summary>The type of each column of <see cref="ChangeColumns"/> (results.gpkg, results.xlsx).</summary>
    public static readonly ColumnType[] ChangeTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real,
        ColumnType.Integer, ColumnType.Integer, ColumnType.Text, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Real, ColumnType.Boolean, ColumnType.Boolean,
    ];

    public static readonly ColumnType[] MoveTypes =
        [ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real, ColumnType.Boolean];

    public static readonly ColumnType[] GlueTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real,
        ColumnType.Integer, ColumnType.Integer, ColumnType.Real, ColumnType.Real,
    ];

    /// <summary>design.csv, moves.csv and (nest) glue.csv as typed tables: the same rows as the CSVs.</summary>
    public static IReadOnlyList<ResultTables.Table> Tables(DesignResult d)
    {
        var tables = new List<ResultTables.Table>
        {
            new("design", ChangeColumns, ChangeTypes, d.Changes.Select(c => new object?[]
            {
                d.Kind, c.PerimeterId, c.PerimeterName, c.BeforeCell, c.Operator, c.AreaBefore, c.AreaAfter, c.PopBefore, c.PopAfter,
                c.AreaGained, c.AreaLost, c.PopGained, c.PopLost, c.PartnersBefore, c.PartnersAfter, string.Join(';', c.NewPartners),
                c.MisfitBefore, c.MisfitAfter, c.PopMisfitBefore, c.PopMisfitAfter, c.CoterminousBefore, c.CoterminousAfter,
            })),
            new("moves", MoveColumns, MoveTypes, d.Moves.Select(m => new object?[]
            {
                d.Kind, m.UnitLayer, m.UnitId, m.UnitName, m.FromCell, m.ToPerimeter, m.AreaKm2, m.Pop, m.Moved,
            })),
        };
        if (d.Nest is not null)
            tables.Add(new("glue", GlueColumns, GlueTypes, d.Nest.Glue.Select(g => new object?[]
            {
                g.LayerA, g.IdA, g.NameA, g.LayerB, g.IdB, g.NameB, g.AreaKm2, g.Pop, g.PartsAfter, g.DetachedCells,
                g.DetachedAreaKm2, g.DetachedPop,
            })));
        return tables;
    }

    public static void WriteAll(DesignResult d, Func<string, Stream> create, string version)
    {
        using (var s = create("design.geojson")) WriteGeoJson(s, d, version);
        foreach (var table in Tables(d))
            WriteText(create, table.Name + ".csv", w => Csv(w, table.Columns, table.Rows));
    }

    private static void WriteText(Func<string, Stream> create, string name, Action<TextWriter> write)
    {
        using var s = create(name);
        using var w = new StreamWriter(s, new UTF8Encoding(false));
        write(w);
    }

    private static void Csv(TextWriter w, string[] columns, IEnumerable<object?[]> rows)
    {
        w.Write(string.Join(',', columns));
        w.Write('\n');
        foreach (var row in rows)
        {
            w.Write(string.Join(',', row.Select(CsvTables.Cell)));
            w.Write('\n');
        }
    }

    /// <summary>The proposed perimeters in lon/lat with <c>id</c>, <c>name</c>, <c>before_cell</c> and <c>{key}_{metric}</c> (after) plus <c>{key}_misfit_before</c>.</summary>
    public static void WriteGeoJson(Stream stream, DesignResult d, string version)
    {
        var r = d.After;
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        var cells = r.Cells.Features;
        var features = new List<GeoJsonFeature>(cells.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            var props = new List<KeyValuePair<string, object?>>
            {
                new("id", cells[i].Id), new("name", cells[i].Name), new("design", d.Kind), new("before_cell", d.Heirs[i]),
            };
            props.AddRange(AnalysisOutputs.CellMetricProperties(r, i));
            foreach (var c in r.Comparisons)
            {
                var b = d.Changes.FirstOrDefault(x => x.PerimeterId == cells[i].Id && x.Operator == c.Operator);
                props.Add(new(c.Operator + "_partners_before", b?.PartnersBefore));
                props.Add(new(c.Operator + "_misfit_before", b?.MisfitBefore));
            }
            features.Add(new GeoJsonFeature(toWgs84.Transform(cells[i].Geometry), props, cells[i].Id) { AsMultiPolygon = true });
        }
        var totals = new JsonObject();
        foreach (var t in d.Totals)
            totals[t.Operator] = new JsonObject
            {
                ["misfit_km2_before"] = t.MisfitKm2Before, ["misfit_km2_after"] = t.MisfitKm2After,
                ["pop_misfit_before"] = t.PopMisfitBefore, ["pop_misfit_after"] = t.PopMisfitAfter,
                ["alignment_before"] = t.AlignmentBefore, ["alignment_after"] = t.AlignmentAfter,
                ["pop_alignment_before"] = t.PopAlignmentBefore, ["pop_alignment_after"] = t.PopAlignmentAfter,
            };
        var header = new JsonObject
        {
            ["version"] = version,
            ["study"] = r.Study.Name,
            ["crs"] = r.Crs.ToString(),
            ["design"] = d.Kind,
            ["method"] = d.Method,
            ["operators"] = new JsonArray(d.Operators.Select(o => (JsonNode?)o).ToArray()),
            ["perimeters"] = cells.Count,
            ["cells_before"] = d.Before.Cells.Features.Count,
            ["moved_pop"] = d.Before.HasWeights ? d.MovedPop : null,
            ["moved_area_km2"] = d.MovedAreaKm2,
            ["totals"] = totals,
        };
        if (d.Nest is not null)
        {
            header["largest_area_share"] = d.Nest.LargestAreaShare;
            header["largest_pop_share"] = d.Nest.LargestPopShare;
        }
        GeoJsonWriter.Write(stream, features, [KeyValuePair.Create("cepgeo", (JsonNode?)header)]);
    }
}
