using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace CepGeo.Viewer;

/// <summary>
/// The viewer's read-only HTTP surface. Every endpoint looks a name up in <see cref="ViewerData"/> or in
/// the page files embedded in this assembly; nothing maps a request onto the file system, so there is
/// no path to traverse.
/// </summary>
public static class ViewerEndpoints
{
    public const string GeoJsonContentType = "application/geo+json";

    /// <summary>The page: wwwroot/ and Leaflet, embedded at build time (name → bytes).</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> PageFiles = new(LoadPageFiles);

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapCepGeoViewer(this IEndpointRouteBuilder app, ViewerData data, string? tiles = null)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/study", () =>
        {
            var study = data.Study.DeepClone().AsObject();
            study["tiles"] = tiles;
            return Results.Text(study.ToJsonString(), "application/json; charset=utf-8");
        });
        api.MapGet("/style", () => Results.Text(StyleJson.Text, "application/json; charset=utf-8"));
        api.MapGet("/layers/{key}", (string key) => data.Layers.TryGetValue(key, out var layer)
            ? Results.Bytes(layer.GeoJson, GeoJsonContentType)
            : NotFound($"no layer named '{key}'", "See /api/study for the layers of this study."));
        api.MapGet("/metrics/{table}", (string table) => data.Tables.TryGetValue(table, out var json)
            ? Results.Bytes(json, "application/json")
            : NotFound($"no table named '{table}'", "Tables: cells, pairs, zones."));
        api.MapGet("/gaps", () => Results.Bytes(data.Exports["gaps.geojson"], GeoJsonContentType));
        api.MapGet("/export/{file}", (string file) => data.Exports.TryGetValue(file, out var bytes)
            ? Results.File(bytes, ExportType(file), file)
            : NotFound($"no export named '{file}'", "Exports: " + string.Join(", ", ViewerData.ExportNames) + "."));

        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/{**file}", (string file) => Page(file));
        return app;
    }

    private static IResult Page(string file)
    {
        if (!PageFiles.Value.TryGetValue(file, out var bytes))
            return NotFound($"no page file named '{file}'", null);
        if (!ContentTypes.TryGetContentType(file, out var type)) type = "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
            type += "; charset=utf-8";
        return Results.Bytes(bytes, type);
    }

    private static string ExportType(string file) => Path.GetExtension(file) switch
    {
        ".geojson" => GeoJsonContentType,
        ".csv" => "text/csv; charset=utf-8",
        _ => "application/json",
    };

    private static IResult NotFound(string title, string? detail) =>
        Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static Dictionary<string, byte[]> LoadPageFiles()
    {
        var assembly = typeof(ViewerEndpoints).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        const string prefix = "wwwroot/";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var s = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            files[name[prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }
        return files;
    }

    /// <summary>Names of the embedded page files (for tests: Leaflet must be there).</summary>
    public static IReadOnlyCollection<string> PageFileNames => PageFiles.Value.Keys.ToList();
}
