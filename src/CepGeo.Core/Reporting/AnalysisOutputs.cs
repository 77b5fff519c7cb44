using System.Text.Json.Nodes;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The files of spec §6 that <c>analyze</c> writes (maps and the HTML report aside), each to a stream
/// the caller opens: Core never touches the file system.
/// </summary>
public static class AnalysisOutputs
{
    /// <summary>The files written for the given table formats, in writing order.</summary>
    public static IReadOnlyList<string> FileNames(TableFormats tables = TableFormats.Csv, CsvDialect csv = CsvDialect.Standard)
    {
        var names = new List<string> { "gaps.geojson", "cells.geojson" };
        foreach (var table in new[] { "pairs", "cells", "zones" })
        {
            if (tables.HasFlag(TableFormats.Csv)) names.Add(table + ".csv");
            if (tables.HasFlag(TableFormats.Csv) && csv == CsvDialect.Standard) names.Add(table + ".csvt");
            if (tables.HasFlag(TableFormats.Json)) names.Add(table + ".json");
        }
        names.Add("summary.json");
        return names;
    }

    /// <param name="create">Opens a new output by file name (the caller decides where it goes).</param>
    /// <param name="tables">The tables as CSV (the spec's stable columns), JSON arrays with the same keys, or both.</param>
    /// <param name="csv">How the CSVs are spelled; the standard ones get a GDAL <c>.csvt</c> each (a spreadsheet reads none).</param>
    public static void WriteAll(AnalysisResult r, Func<string, Stream> create, string version,
        IReadOnlyDictionary<string, double>? timings = null, TableFormats tables = TableFormats.Csv, CsvDialect csv = CsvDialect.Standard)
    {
        // Every output is opened here, in order, on this thread (create need not be thread-safe);
        // the tables, written on one thread, are written while the GeoJSON outputs are formatted
        // on every core.
        using var gaps = create("gaps.geojson");
        using var cells = create("cells.geojson");
        var tableWrites = new List<(Stream Output, Action<Stream> Write)>();
        Task? tablesWritten = null;
        try
        {
            AddTable(tableWrites, create, tables, csv, "pairs", CsvTables.PairColumns, CsvTables.PairTypes, AllComparisons(r).SelectMany(c => c.Pairs).Select(CsvTables.PairValues));
            AddTable(tableWrites, create, tables, csv, "cells", CellColumns(r), CellTypes(r), CellRows(r));
            AddTable(tableWrites, create, tables, csv, "zones", CsvTables.ZoneColumns, CsvTables.ZoneTypes, AllComparisons(r).SelectMany(c => c.Zones).Select(CsvTables.ZoneValues));
            tablesWritten = Task.Run(() =>
            {
                foreach (var (output, write) in tableWrites) write(output);
            });
            WriteGaps(gaps, r, version);
            WriteCells(cells, r, version);
            tablesWritten.GetAwaiter().GetResult();
        }
        catch
        {
            // The first failure is the one reported; the tables are let finish first.
            try { tablesWritten?.Wait(); } catch (AggregateException) { }
            throw;
        }
        finally
        {
            foreach (var (output, _) in tableWrites) output.Dispose();
        }
        using (var s = create("summary.json")) SummaryJson.Write(s, r, version, timings);
    }

    private static void AddTable(List<(Stream, Action<Stream>)> writes, Func<string, Stream> create, TableFormats tables, CsvDialect csv,
        string name, string[] columns, ColumnType[] types, IEnumerable<object?[]> rows)
    {
        if (tables.HasFlag(TableFormats.Csv))
            writes.Add((create(name + ".csv"), s => CsvTables.Write(s, columns, rows, csv)));
        if (tables.HasFlag(TableFormats.Csv) && csv == CsvDialect.Standard)
            writes.Add((create(name + ".csvt"), s => CsvTables.WriteCsvt(s, types)));
        if (tables.HasFlag(TableFormats.Json))
            writes.Add((create(name + ".json"), s => CsvTables.WriteJson(s, columns, rows)));
    }

    private static IEnumerable<Comparison> AllComparisons(AnalysisResult r) => r.Comparisons.Concat(r.OperatorPairs);

    /// <summary>cells.csv's columns: the spec's, then (only when the study has sites) those of spec §9.</summary>
    public static string[] CellColumns(AnalysisResult r) =>
        r.Sites.Count == 0 ? CsvTables.CellColumns : [.. CsvTables.CellColumns, .. CsvTables.SiteColumns];

    /// <summary>The types of <see cref="CellColumns(AnalysisResult)"/>.</summary>
    public static ColumnType[] CellTypes(AnalysisResult r) =>
        r.Sites.Count == 0 ? CsvTables.CellTypes : [.. CsvTables.CellTypes, .. CsvTables.SiteTypes];

    /// <summary>
    /// cells.csv's rows: every cell × operator (and operator × operator) row, with the operator's site
    /// figures appended on the cells' rows; then a row per cell for each operator with sites only, its
    /// zone columns empty.
    /// </summary>
    public static IEnumerable<object?[]> CellRows(AnalysisResult r)
    {
        if (r.Sites.Count == 0)
        {
            foreach (var row in AllComparisons(r).SelectMany(c => c.Cells)) yield return CsvTables.CellValues(row);
            yield break;
        }
        var sites = r.Sites.ToDictionary(s => s.Operator, StringComparer.Ordinal);
        foreach (var c in r.Comparisons)
        {
            var own = sites.GetValueOrDefault(c.Operator);
            for (int i = 0; i < c.Cells.Count; i++)
                yield return [.. CsvTables.CellValues(c.Cells[i]), .. CsvTables.SiteValues(own?.Cells[i])];
        }
        foreach (var c in r.OperatorPairs)
            foreach (var row in c.Cells)
                yield return [.. CsvTables.CellValues(row), .. CsvTables.SiteValues(null)];
        var zoneOperators = r.Comparisons.Select(c => c.Operator).ToHashSet(StringComparer.Ordinal);
        var first = r.Comparisons.Count > 0 ? r.Comparisons[0].Cells : null;
        foreach (var s in r.Sites.Where(s => !zoneOperators.Contains(s.Operator)))
        {
            for (int i = 0; i < s.Cells.Count; i++)
            {
                var values = new object?[CsvTables.CellColumns.Length];
                values[0] = StudyReaderCellsKey;
                values[1] = r.Cells.Features[i].Id;
                values[2] = r.Cells.Features[i].Name;
                values[3] = s.Operator;
                values[4] = first?[i].AreaKm2;
                values[5] = first?[i].Pop;
                yield return [.. values, .. CsvTables.SiteValues(s.Cells[i])];
            }
        }
    }

    private const string StudyReaderCellsKey = Loading.StudyReader.CellsKey;

    /// <summary>The gap report: one feature per defect polygon, in lon/lat.</summary>
    public static void WriteGaps(Stream stream, AnalysisResult r, string version)
    {
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        // Dissolving, reprojecting and formatting tens of thousands of defects is the costly part:
        // on every core, written in order, so the file is the same byte for byte.
        var defects = r.Comparisons.SelectMany(c => c.Defects).ToList();
        GeoJsonWriter.Write(stream, defects.Count, i =>
        {
            var d = defects[i];
            var rings = r.DefectRingsXY(d);
            KeyValuePair<string, object?>[] properties =
            [
                new("id", d.Id), new("kind", d.Kind.Name()), new("operator", d.Operator), new("cell_id", d.CellId), new("cell_name", d.CellName),
                new("zone_ids", d.ZoneIds), new("area_km2", d.AreaKm2), new("population", d.Pop), new("share_of_cell", d.ShareOfCell),
                new("width_m", d.WidthM),
            ];
            return new GeoJsonFeature(rings is null ? r.DefectGeometry(d) : null, properties, d.Id)
            {
                Transform = toWgs84,
                PolygonXY = rings,
                AsMultiPolygon = true,
            };
        }, [KeyValuePair.Create("cepgeo", (JsonNode?)Header(r, version))]);
    }

    /// <summary>The cells with every per-operator metric as <c>{key}_{metric}</c>, ready for a choropleth.</summary>
    public static void WriteCells(Stream stream, AnalysisResult r, string version)
    {
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        var cells = r.Cells.Features;
        var names = MetricNames(r);
        GeoJsonWriter.Write(stream, cells.Count, i =>
        {
            var props = new List<KeyValuePair<string, object?>>(2 + 2 + CellMetrics.Length * r.Comparisons.Count) { new("id", cells[i].Id), new("name", cells[i].Name) };
            AddCellMetricProperties(props, r, i, names);
            AddSiteProperties(props, r, i);
            return new GeoJsonFeature(cells[i].Geometry, props, cells[i].Id) { Transform = toWgs84, AsMultiPolygon = true };
        }, [KeyValuePair.Create("cepgeo", (JsonNode?)Header(r, version))]);
    }

    /// <summary>Cell <paramref name="i"/>'s area, population and every metric against each operator as <c>{key}_{metric}</c>.</summary>
    public static List<KeyValuePair<string, object?>> CellMetricProperties(AnalysisResult r, int i)
    {
        var props = new List<KeyValuePair<string, object?>>(2 + CellMetrics.Length * r.Comparisons.Count);
        AddCellMetricProperties(props, r, i, MetricNames(r));
        return props;
    }

    /// <summary>The <c>{key}_{metric}</c> names of <see cref="CellMetricProperties(AnalysisResult, int)"/>, per comparison
    /// (made once for a layer rather than once per cell).</summary>
    internal static string[][] MetricNames(AnalysisResult r) =>
        [.. r.Comparisons.Select(c => CellMetrics.Select(m => c.Operator + "_" + m).ToArray())];

    private static readonly string[] CellMetrics =
    [
        "coverage", "pop_coverage", "gap_km2", "pop_gap", "double_km2", "pop_double", "partners", "dominant_zone",
        "dominant_share", "nested", "straddling", "misfit", "pop_misfit", "coterminous", "aligned",
    ];

    /// <summary>Adds them to <paramref name="props"/> (a national cells layer writes tens of thousands: no list of its own each).</summary>
    internal static void AddCellMetricProperties(List<KeyValuePair<string, object?>> props, AnalysisResult r, int i, string[][] names)
    {
        // Numbers and flags through Boxed: coverage 1, gaps 0, the counts and flags are most of them.
        if (r.Comparisons.Count > 0)
        {
            props.Add(new("area_km2", Boxed.Of(r.Comparisons[0].Cells[i].AreaKm2)));
            props.Add(new("pop", Boxed.Of(r.Comparisons[0].Cells[i].Pop)));
        }
        for (int k = 0; k < r.Comparisons.Count; k++)
        {
            var m = r.Comparisons[k].Cells[i];
            var n = names[k];
            props.Add(new(n[0], Boxed.Of(m.Coverage)));
            props.Add(new(n[1], Boxed.Of(m.PopCoverage)));
            props.Add(new(n[2], Boxed.Of(m.GapKm2)));
            props.Add(new(n[3], Boxed.Of(m.PopGap)));
            props.Add(new(n[4], Boxed.Of(m.DoubleKm2)));
            props.Add(new(n[5], Boxed.Of(m.PopDouble)));
            props.Add(new(n[6], Boxed.Of(m.Partners)));
            props.Add(new(n[7], m.DominantZone));
            props.Add(new(n[8], Boxed.Of(m.DominantShare)));
            props.Add(new(n[9], Boxed.Of(m.Nested)));
            props.Add(new(n[10], Boxed.Of(m.Straddling)));
            props.Add(new(n[11], Boxed.Of(m.Misfit)));
            props.Add(new(n[12], Boxed.Of(m.PopMisfit)));
            props.Add(new(n[13], Boxed.Of(m.Coterminous)));
            props.Add(new(n[14], Boxed.Of(m.Aligned)));
        }
    }

    /// <summary>Spec §9 as <c>{key}_{metric}</c> for every operator with sites, after the other metrics.</summary>
    private static void AddSiteProperties(List<KeyValuePair<string, object?>> props, AnalysisResult r, int i)
    {
        foreach (var s in r.Sites)
        {
            var values = CsvTables.SiteValues(s.Cells[i]);
            for (int k = 0; k < values.Length; k++) props.Add(new(s.Operator + "_" + CsvTables.SiteColumns[k], values[k]));
        }
    }

    private static JsonObject Header(AnalysisResult r, string version) => new()
    {
        ["version"] = version,
        ["study"] = r.Study.Name,
        ["crs"] = r.Crs.ToString(),
        ["tolerances"] = new JsonObject(r.Study.Tolerances.Named.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
    };
}

/// <summary>How the pairs, cells and zones tables are written.</summary>
[Flags]
public enum TableFormats
{
    Csv = 1,
    Json = 2,
    Both = Csv | Json,
}
