using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Projection;
using CepGeo.Core.Reporting;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Feature = CepGeo.Core.Model.Feature;

namespace CepGeo.Viewer;

/// <summary>
/// One layer the page can draw: <c>cells</c>, <c>zones-{operator}</c>, <c>defects-{kind}</c>, <c>communes</c>
/// (the weights layer, outlines only) or <c>design</c>.
/// </summary>
public sealed class ViewerLayer
{
    private readonly Lazy<byte[]> _geoJson;

    /// <param name="kind"><c>cells</c>, <c>zones</c>, <c>defects</c>, <c>communes</c> or <c>design</c> (proposed perimeters, key <c>design</c>).</param>
    /// <param name="op">The operator key for zones; the defect kind for defects.</param>
    /// <param name="geoJson">Builds the layer's GeoJSON the first time it is asked for (the national communes
    /// take seconds to simplify and are only drawn when someone turns them on).</param>
    /// <param name="index">Id, name, bounds and label point of every feature (for search and labels), or null.</param>
    public ViewerLayer(string key, string kind, string? op, string label, int count, Func<byte[]> geoJson, IReadOnlyList<IndexEntry>? index = null)
    {
        Key = key;
        Kind = kind;
        Operator = op;
        Label = label;
        Count = count;
        _geoJson = new Lazy<byte[]>(geoJson);
        Index = index;
    }

    public string Key { get; }

    public string Kind { get; }

    public string? Operator { get; }

    public string Label { get; }

    public int Count { get; }

    public byte[] GeoJson => _geoJson.Value;

    public IReadOnlyList<IndexEntry>? Index { get; }

    /// <summary>The layer simplified for the whole-region view (cells and zones), or null when it has one band only.</summary>
    public byte[]? Overview => _overview?.Value;

    private Lazy<byte[]>? _overview;

    internal ViewerLayer WithOverview(Func<byte[]> overview)
    {
        _overview = new Lazy<byte[]>(overview);
        return this;
    }
}

/// <summary>One feature as search and labels know it: lon/lat bounds and a point inside it.</summary>
public sealed record IndexEntry(string Id, string Name, Envelope Bounds, Coordinate Label);

/// <summary>
/// Everything the viewer serves, computed once before the server starts and never changed: the API
/// only looks names up in these dictionaries, so no request can reach the file system.
/// </summary>
public sealed class ViewerData
{
    /// <summary>The gap report's defect kinds drawn as layers (<c>outside</c> is reported, not a defect).</summary>
    public static readonly string[] DefectKinds = ["gap", "double_coverage", "straddle"];

    /// <summary>The analyze files offered for download, by file name.</summary>
    public static readonly string[] ExportNames = ["gaps.geojson", "cells.geojson", "pairs.csv", "cells.csv", "zones.csv", "summary.json"];

    /// <param name="folder">The results folder the tables were read from ("" after a fresh analysis), for messages.</param>
    private ViewerData(JsonObject study, IReadOnlyList<ViewerLayer> layers, IReadOnlyDictionary<string, byte[]> exports, string folder = "")
    {
        Layers = layers.ToDictionary(l => l.Key, StringComparer.Ordinal);
        Exports = exports;
        Tables = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["cells"] = CsvJson.Convert(exports["cells.csv"], Path.Combine(folder, "cells.csv")),
            ["pairs"] = CsvJson.Convert(exports["pairs.csv"], Path.Combine(folder, "pairs.csv")),
            ["zones"] = CsvJson.Convert(exports["zones.csv"], Path.Combine(folder, "zones.csv")),
        };
        Index = IndexJson(layers.Where(l => l.Kind is "cells" or "zones"));
        var communes = layers.FirstOrDefault(l => l.Kind == "communes");
        CommunesIndex = communes is null ? null : IndexJson([communes]);
        study["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)new JsonObject
        {
            ["key"] = l.Key, ["kind"] = l.Kind, ["operator"] = l.Operator, ["label"] = l.Label, ["count"] = l.Count,
        })]);
        Study = study;
    }

    /// <summary><c>name</c>, <c>crs</c>, <c>version</c>, <c>source</c>, <c>weights</c>, <c>operators</c>, <c>layers</c>, <c>bounds</c> [w, s, e, n].</summary>
    public JsonObject Study { get; }

    public IReadOnlyDictionary<string, ViewerLayer> Layers { get; }

    /// <summary>
    /// Every cell and zone by layer key: <c>{"cells": [[id, name, west, south, east, north, labelLon, labelLat], …], "zones-ml": …}</c>.
    /// The page searches and labels from it without loading the geometry of hidden layers.
    /// </summary>
    public byte[] Index { get; }

    /// <summary>The communes (weights layer) in the same form, fetched when someone first searches; null without weights.</summary>
    public byte[]? CommunesIndex { get; }

    private static byte[] IndexJson(IEnumerable<ViewerLayer> layers)
    {
        static double R(double x) => double.IsFinite(x) ? Math.Round(x, 4) : 0;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var layer in layers)
            {
                json.WriteStartArray(layer.Key);
                foreach (var e in layer.Index ?? [])
                {
                    json.WriteStartArray();
                    json.WriteStringValue(e.Id);
                    json.WriteStringValue(e.Name);
                    foreach (double x in new[] { e.Bounds.MinX, e.Bounds.MinY, e.Bounds.MaxX, e.Bounds.MaxY, e.Label.X, e.Label.Y })
                        json.WriteNumberValue(R(x));
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary><c>cells</c>, <c>pairs</c>, <c>zones</c>: the CSV tables as JSON arrays.</summary>
    public IReadOnlyDictionary<string, byte[]> Tables { get; }

    /// <summary>The files analyze writes, at full precision.</summary>
    public IReadOnlyDictionary<string, byte[]> Exports { get; }

    /// <summary>From a fresh analysis: the writers run into memory, the layers come from the projected geometries.</summary>
    public static ViewerData FromAnalysis(AnalysisResult r, string version)
    {
        var files = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        AnalysisOutputs.WriteAll(r, name => files[name] = new MemoryStream(), version);
        var exports = files.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);

        var toLonLat = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        double tolerance = DisplayGeometry.Tolerance(r.Cells.Features.Select(f => f.Geometry));
        int decimals = DisplayGeometry.Decimals(tolerance / 4);
        var layers = new List<ViewerLayer>
        {
            Coverage("cells", "cells", null, r.Infos[0].Label, r.Cells, tolerance, toLonLat, decimals),
        };
        for (int k = 1; k < r.Infos.Count; k++)
            layers.Add(Coverage("zones-" + r.Infos[k].Key, "zones", r.Infos[k].Key, r.Infos[k].Label, r.Layers[k], tolerance, toLonLat, decimals));
        var defects = r.Comparisons.SelectMany(c => c.Defects).ToList();
        foreach (var kind in DefectKinds)
        {
            var ofKind = defects.Where(d => d.Kind.Name() == kind).ToList();
            var shapes = DisplayGeometry.Pieces([.. ofKind.Select(d => r.DefectGeometry(d))], tolerance / 4, toLonLat, decimals);
            layers.Add(Defects(kind, ofKind.Select((d, i) => DefectFeature(shapes[i], d.Id, kind, d.Operator, d.CellId, d.CellName, d.ZoneIds, d.AreaKm2))));
        }

        if (r.HasWeights && r.Layers.Count > r.Infos.Count)
            layers.Add(Communes(r.Layers[r.Infos.Count], r.Study.Weights?.Label, tolerance / 4, toLonLat, decimals));
        // Each operator's sites (spec §9) as points, lon/lat as placed by the analysis.
        foreach (var s in r.Sites)
            layers.Add(Layer("sites-" + s.Operator, "sites", s.Operator, s.Label, s.Sites.Select(p => GeoJsonFeature.Create(
                new Point(Math.Round(p.Lon, 6), Math.Round(p.Lat, 6)), p.Id, ("id", p.Id), ("name", p.Name), ("operator", s.Operator),
                ("cell_ids", p.Cells.Select(c => r.Infos[0].Ids[c]).ToArray())))));
        // Operators with sites and no zones come after those with zones: the order of their colours on the maps.
        var siteOnly = r.Sites.Where(s => !r.Infos.Any(i => i.Key == s.Operator)).Select(s => (s.Operator, s.Label));

        var study = new JsonObject
        {
            ["name"] = r.Study.Name,
            ["sources"] = r.Study.Sources,
            ["crs"] = r.Crs.ToString(),
            ["version"] = version,
            ["source"] = "analysis",
            ["weights"] = r.HasWeights,
            ["operators"] = new JsonArray([.. r.Infos.Skip(1).Select(i => (i.Key, i.Label)).Concat(siteOnly)
                .Select(i => (JsonNode)new JsonObject { ["key"] = i.Item1, ["label"] = i.Item2 })]),
            ["bounds"] = Bounds(layers[0]),
            ["beyond_km"] = r.Study.Tolerances.BeyondKm,
        };
        return new ViewerData(study, layers, exports);
    }

    /// <summary>
    /// From an earlier analyze folder (its files, opened by the caller). The operator zones are not in
    /// those files, so only the cells and the defects can be drawn.
    /// </summary>
    /// <param name="open">Opens one of <see cref="ExportNames"/>; null when the file is missing.</param>
    public static ViewerData FromResults(Func<string, Stream?> open, string folderName)
    {
        var exports = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ExportNames)
        {
            using var s = open(name) ?? throw new CepGeoInputException(folderName, null,
                $"{name} is missing: this is not a folder written by 'cepgeo analyze'");
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            exports[name] = copy.ToArray();
        }
        try
        {
            return FromResults(exports, folderName);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            // A value of the wrong type in summary.json (the GeoJSON and CSV readers name their file themselves).
            throw new CepGeoInputException(Path.Combine(folderName, "summary.json"), null,
                $"unexpected content ({e.Message}): it was not written by 'cepgeo analyze' or was edited since", e);
        }
    }

    private static ViewerData FromResults(Dictionary<string, byte[]> exports, string folderName)
    {
        var summary = JsonNode.Parse(exports["summary.json"])?.AsObject()
            ?? throw new CepGeoInputException(folderName, null, "summary.json is empty");

        var cells = ReadCollection(exports["cells.geojson"], folderName, "cells.geojson");
        var gaps = ReadCollection(exports["gaps.geojson"], folderName, "gaps.geojson");
        var lonLat = Reprojector.Create(CrsRef.Wgs84Default, CrsRef.Wgs84Default);
        double tolerance = DisplayGeometry.Tolerance(cells.Select(f => f.Geometry));
        int decimals = DisplayGeometry.Decimals(tolerance / 4 * DisplayGeometry.MetresPerDegree);
        var summaryLayers = summary["layers"]?.AsObject();
        string cellsLabel = summaryLayers?["cells"]?["label"]?.GetValue<string>() ?? "cells";

        var cellShapes = DisplayGeometry.Coverage([.. cells.Select(f => f.Geometry)], tolerance, lonLat, decimals);
        var cellIds = cells.Select(f => Text(f, "id") ?? "").ToList();
        var cellNames = cells.Select(f => Text(f, "name") ?? Text(f, "id") ?? "").ToList();
        var layers = new List<ViewerLayer>
        {
            Layer("cells", "cells", null, cellsLabel, cells.Select((f, i) => GeoJsonFeature.Create(cellShapes[i], cellIds[i],
                ("id", cellIds[i]), ("name", cellNames[i]))), IndexOf(cellShapes, cellIds, cellNames)),
        };
        foreach (var kind in DefectKinds)
        {
            var ofKind = gaps.Where(f => Text(f, "kind") == kind).ToList();
            var shapes = DisplayGeometry.Pieces([.. ofKind.Select(f => f.Geometry)], tolerance / 4, lonLat, decimals);
            layers.Add(Defects(kind, ofKind.Select((f, i) => DefectFeature(shapes[i], Text(f, "id"), kind, Text(f, "operator"),
                Text(f, "cell_id"), Text(f, "cell_name"), ZoneIds(f), Number(f, "area_km2")))));
        }

        var operators = new JsonArray();
        if (summaryLayers is not null)
            foreach (var (key, node) in summaryLayers)
                if (key != "cells")
                    operators.Add(new JsonObject { ["key"] = key, ["label"] = node?["label"]?.GetValue<string>() ?? key });
        var study = new JsonObject
        {
            ["name"] = summary["study"]?.GetValue<string>() ?? folderName,
            ["sources"] = summary["sources"]?.DeepClone(),
            ["crs"] = summary["crs"]?.GetValue<string>(),
            ["version"] = summary["cepgeo_version"]?.GetValue<string>(),
            ["source"] = "results",
            ["weights"] = summary["weights"]?.GetValue<bool>() ?? false,
            ["operators"] = operators,
            ["bounds"] = Bounds(layers[0]),
        };
        return new ViewerData(study, layers, exports, folderName);
    }

    /// <summary>The file of a design output folder that the viewer draws.</summary>
    public const string DesignFileName = "design.geojson";

    /// <summary>
    /// These data plus a design proposal (<c>cepgeo design …</c>'s design.geojson) as the layer
    /// <c>design</c>, drawn next to the current cells; the study gains a <c>design</c> object with the
    /// method, the number of perimeters and the before → after totals of the file's header.
    /// </summary>
    /// <param name="designGeoJson">The bytes of design.geojson (lon/lat, as every design writes it).</param>
    /// <param name="folderName">The design folder, for messages.</param>
    public ViewerData WithDesign(byte[] designGeoJson, string folderName)
    {
        JsonObject? header;
        try
        {
            header = JsonNode.Parse(designGeoJson)?["cepgeo"] as JsonObject;
        }
        catch (JsonException e)
        {
            throw new CepGeoInputException(folderName, null, $"{DesignFileName} is not valid JSON: {e.Message}");
        }
        if (header?["design"] is null)
            throw new CepGeoInputException(folderName, null, $"{DesignFileName} has no 'cepgeo' header naming its design: it was not written by 'cepgeo design'");
        try
        {
            return WithDesign(designGeoJson, header, folderName);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            // A value of the wrong type in the header ("design": 42, a metric "abc").
            throw new CepGeoInputException(folderName, null, $"{DesignFileName}: unexpected content ({e.Message}): it was not written by 'cepgeo design' or was edited since", e);
        }
    }

    private ViewerData WithDesign(byte[] designGeoJson, JsonObject header, string folderName)
    {
        var features = ReadCollection(designGeoJson, folderName, DesignFileName);
        var operators = Study["operators"]!.AsArray().Select(o => (string)o!["key"]!).ToList();

        var lonLat = Reprojector.Create(CrsRef.Wgs84Default, CrsRef.Wgs84Default);
        var geometries = features.Select(f => f.Geometry).ToList();
        double designTolerance = DisplayGeometry.Tolerance(geometries);
        var shapes = DisplayGeometry.Coverage(geometries, designTolerance, lonLat, DisplayGeometry.Decimals(designTolerance / 4 * DisplayGeometry.MetresPerDegree));
        var shown = features.Select((f, i) =>
        {
            var props = new List<(string, object?)> { ("id", Text(f, "id")), ("name", Text(f, "name")), ("before_cell", Text(f, "before_cell")) };
            foreach (var op in operators)
                foreach (var metric in DesignMetrics)
                    props.Add((op + "_" + metric, Number(f, op + "_" + metric)));
            return GeoJsonFeature.Create(shapes[i], Text(f, "id"), [.. props]);
        });
        string kind = header["design"]!.GetValue<string>();
        var layers = Layers.Values.Where(l => l.Key != "design").Append(Layer("design", "design", kind, kind, shown)).ToList();

        var study = Study.DeepClone().AsObject();
        study["design"] = new JsonObject
        {
            ["kind"] = kind,
            ["folder"] = folderName,
            ["study"] = header["study"] is { } name ? name.GetValue<string>() : null,
            ["method"] = header["method"] is { } method ? method.GetValue<string>() : null,
            ["operators"] = header["operators"] is { } fitted ? new JsonArray([.. fitted.AsArray().Select(o => o is null ? null : (JsonNode)o.GetValue<string>())]) : null,
            ["perimeters"] = features.Count,
            ["cells_before"] = header["cells_before"] is { } before ? before.GetValue<int>() : null,
            ["totals"] = Totals(header["totals"]),
        };
        return new ViewerData(study, layers, Exports);
    }

    /// <summary>The header's totals, each value checked to be a number (the page writes them into its legend).</summary>
    private static JsonObject? Totals(JsonNode? totals)
    {
        if (totals is null) return null;
        var copy = new JsonObject();
        foreach (var (op, values) in totals.AsObject())
        {
            var row = new JsonObject();
            foreach (var (name, value) in values!.AsObject())
                row[name] = value is null ? null : value.GetValue<double>();
            copy[op] = row;
        }
        return copy;
    }

    /// <summary>The per-operator columns of design.geojson sent to the page (after and before).</summary>
    private static readonly string[] DesignMetrics = ["misfit", "misfit_before", "partners", "partners_before", "pop_misfit"];

    /// <summary>
    /// How much coarser the overview band is than the detailed one. At the whole-region view a national
    /// layer's detail is a quarter of a pixel: drawing a third of the vertices there makes each zoom step
    /// cheaper, and the detailed band is fetched once the user zooms in.
    /// </summary>
    public const double OverviewFactor = 3;

    private static ViewerLayer Coverage(string key, string kind, string? op, string label, Layer layer, double tolerance, Reprojector toLonLat, int decimals)
    {
        var shapes = DisplayGeometry.Coverage([.. layer.Features.Select(f => f.Geometry)], tolerance, toLonLat, decimals);
        var ids = layer.Features.Select(f => f.Id).ToList();
        var names = DisplayNames(layer.Features);
        var detailed = Layer(key, kind, op, label, layer.Features.Select((f, i) => GeoJsonFeature.Create(shapes[i], ids[i], ("id", ids[i]), ("name", names[i]))),
            IndexOf(shapes, ids, names));
        // The overview band: three times the tolerance, about a pixel at the whole-region view, made when first asked for.
        byte[] Overview()
        {
            var coarse = DisplayGeometry.Coverage([.. layer.Features.Select(f => f.Geometry)], tolerance * OverviewFactor, toLonLat, DisplayGeometry.Decimals(tolerance * OverviewFactor / 4));
            return Write(layer.Features.Select((f, i) => GeoJsonFeature.Create(coarse[i], ids[i], ("id", ids[i]), ("name", names[i]))));
        }
        return detailed.WithOverview(Overview);
    }

    /// <summary>
    /// Names as a planner reads them: a layer that only carries département codes (a Cap emploi layer keyed
    /// by "dep", whose name is its code) gets the départements' names.
    /// </summary>
    internal static List<string> DisplayNames(IReadOnlyList<Feature> features)
    {
        bool codesOnly = features.Count > 0 && features.All(f => (string.IsNullOrWhiteSpace(f.Name) || f.Name == f.Id) && DepartementNames.Of(f.Id) is not null);
        return [.. features.Select(f => codesOnly ? DepartementNames.Of(f.Id)! : string.IsNullOrWhiteSpace(f.Name) ? f.Id : f.Name)];
    }

    /// <summary>Property names that hold a commune's code and name in the weights layer, most usual first.</summary>
    private static readonly string[] CommuneCodeFields = ["code", "insee", "code_insee", "INSEE_COM", "commune_code", "codgeo", "CODGEO"];

    private static readonly string[] CommuneNameFields = ["nom", "name", "NOM", "nom_commune", "NOM_COM", "commune_name", "libelle", "LIBGEO"];

    /// <summary>
    /// The weights layer (communes) as outlines for orientation and search. Its index (names, bounds) is
    /// made now, cheaply, from each polygon's envelope; its geometry only when the page first asks for it.
    /// </summary>
    private static ViewerLayer Communes(Layer weights, string? label, double tolerance, Reprojector toLonLat, int decimals)
    {
        var features = weights.Features;
        string Field(Feature f, string[] names, string fallback)
        {
            foreach (var n in names)
                if (f.Attributes.TryGetValue(n, out var v) && v is not null && v.ToString() is { Length: > 0 } text) return text;
            return fallback;
        }
        var ids = features.Select(f => Field(f, CommuneCodeFields, f.Id)).ToList();
        var names = features.Select((f, i) => Field(f, CommuneNameFields, ids[i])).ToList();
        var index = features.Select((f, i) =>
        {
            var box = toLonLat.IsIdentity ? f.Geometry.Envelope : toLonLat.Transform(f.Geometry.Envelope);
            var inside = f.Geometry.InteriorPoint;
            var p = toLonLat.IsIdentity ? inside : toLonLat.Transform(inside);
            return new IndexEntry(ids[i], names[i], box.EnvelopeInternal, p.Coordinate);
        }).ToList();
        byte[] Build()
        {
            var shapes = DisplayGeometry.Pieces([.. features.Select(f => f.Geometry)], tolerance, toLonLat, decimals);
            return Write(features.Select((f, i) => GeoJsonFeature.Create(shapes[i], ids[i], ("id", ids[i]), ("name", names[i]))));
        }
        return new ViewerLayer("communes", "communes", null, label ?? "communes", features.Count, Build, index);
    }

    private static List<IndexEntry> IndexOf(IReadOnlyList<Geometry> lonLatShapes, IReadOnlyList<string> ids, IReadOnlyList<string> names) =>
        [.. lonLatShapes.Select((g, i) => new IndexEntry(ids[i], names[i], g.EnvelopeInternal, g.IsEmpty ? new Coordinate(double.NaN, double.NaN) : g.InteriorPoint.Coordinate))];

    private static ViewerLayer Defects(string kind, IEnumerable<GeoJsonFeature> features) =>
        Layer("defects-" + kind, "defects", kind, kind, features);

    private static GeoJsonFeature DefectFeature(Geometry g, string? id, string kind, string? op, string? cellId, string? cellName,
        IReadOnlyList<string> zoneIds, double? area) =>
        GeoJsonFeature.Create(g, id, ("id", id), ("kind", kind), ("operator", op), ("cell_id", cellId), ("cell_name", cellName),
            ("zone_ids", zoneIds), ("area_km2", area));

    private static ViewerLayer Layer(string key, string kind, string? op, string label, IEnumerable<GeoJsonFeature> features, IReadOnlyList<IndexEntry>? index = null)
    {
        var list = features.ToList();
        byte[] json = Write(list);
        return new ViewerLayer(key, kind, op, label, list.Count, () => json, index);
    }

    private static byte[] Write(IEnumerable<GeoJsonFeature> features)
    {
        using var s = new MemoryStream();
        GeoJsonWriter.Write(s, [.. features]);
        return s.ToArray();
    }

    /// <summary>[west, south, east, north] of a lon/lat layer, read back from what the page will draw.</summary>
    private static JsonArray Bounds(ViewerLayer layer)
    {
        var env = new Envelope();
        foreach (var f in ReadCollection(layer.GeoJson, layer.Key, layer.Key)) env.ExpandToInclude(f.Geometry.EnvelopeInternal);
        return env.IsNull ? new JsonArray(-5.5, 41, 10, 51.5) : new JsonArray(env.MinX, env.MinY, env.MaxX, env.MaxY);
    }

    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    private static List<IFeature> ReadCollection(byte[] json, string folder, string file)
    {
        try
        {
            var fc = JsonSerializer.Deserialize<FeatureCollection>(json, GeoJsonOptions);
            return fc is null ? [] : [.. fc.Where(f => f.Geometry is not null)];
        }
        catch (JsonException e)
        {
            throw new CepGeoInputException(folder, null, $"{file} is not valid GeoJSON: {e.Message}");
        }
    }

    private static string? Text(IFeature f, string name) =>
        f.Attributes is { } a && a.Exists(name) ? a[name]?.ToString() : null;

    private static double? Number(IFeature f, string name) =>
        f.Attributes is { } a && a.Exists(name) && a[name] is { } v ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string[] ZoneIds(IFeature f)
    {
        if (f.Attributes is not { } a || !a.Exists("zone_ids")) return [];
        return a["zone_ids"] switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } e => [.. e.EnumerateArray().Select(x => x.ToString())],
            IEnumerable<object?> list => [.. list.Select(x => x?.ToString() ?? "")],
            _ => [],
        };
    }
}
