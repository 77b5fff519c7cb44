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
        byte[] studyJson = System.Text.Encoding.UTF8.GetBytes(WithTiles(data.Study, tiles).ToJsonString());
        Get(api, "/study", (HttpContext c) => Compressed.Bytes(c, studyJson, "application/json; charset=utf-8"));
        byte[] styleJson = System.Text.Encoding.UTF8.GetBytes(StyleJson.Text);
        Get(api, "/style", (HttpContext c) => Compressed.Bytes(c, styleJson, "application/json; charset=utf-8"));
        // ?band=overview: the coarser geometry for the whole-region view (cells and zones; others have one band).
        Get(api, "/layers/{key}", (string key, string? band, HttpContext c) => data.Layers.TryGetValue(key, out var layer)
            ? Compressed.Bytes(c, band == "overview" && layer.Overview is { } coarse ? coarse : layer.GeoJson, GeoJsonContentType)
            : NotFound($"no layer named '{key}'", "See /api/study for the layers of this study."));
        Get(api, "/index", (HttpContext c) => Compressed.Bytes(c, data.Index, "application/json"));
        Get(api, "/index/communes", (HttpContext c) => data.CommunesIndex is { } communes
            ? Compressed.Bytes(c, communes, "application/json")
            : NotFound("this study has no communes (weights layer)", null));
        Get(api, "/metrics/{table}", (string table, HttpContext c) => data.Tables.TryGetValue(table, out var json)
            ? Compressed.Bytes(c, json, "application/json")
            : NotFound($"no table named '{table}'", "Tables: cells, pairs, zones."));
        Get(api, "/gaps", () => Results.Bytes(data.Exports["gaps.geojson"], GeoJsonContentType));
        Get(api, "/export/{file}", (string file) => data.Exports.TryGetValue(file, out var bytes)
            ? Results.File(bytes, ExportType(file), file)
            : NotFound($"no export named '{file}'", "Exports: " + string.Join(", ", ViewerData.ExportNames) + "."));

        Get(app, "/", (HttpContext c) => Page("index.html", c));
        // Browsers ask for /favicon.ico whatever the page says: answer with the page's icon, not a 404.
        Get(app, "/favicon.ico", (HttpContext c) => Page("favicon.svg", c));
        Get(app, "/{**file}", (string file, HttpContext c) => Page(file, c));
        return app;
    }

    /// <summary>GET and HEAD (the README promises both; a HEAD gets the headers of the GET, no body).</summary>
    private static void Get(IEndpointRouteBuilder routes, string pattern, Delegate handler) =>
        routes.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);

    private static JsonObject WithTiles(JsonObject study, string? tiles)
    {
        var copy = study.DeepClone().AsObject();
        copy["tiles"] = tiles;
        return copy;
    }

    private static IResult Page(string file, HttpContext context)
    {
        if (!PageFiles.Value.TryGetValue(file, out var bytes))
            return NotFound($"no page file named '{file}'", null);
        if (!ContentTypes.TryGetContentType(file, out var type)) type = "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) || type.EndsWith("svg+xml", StringComparison.Ordinal))
            type += "; charset=utf-8";
        return Compressed.Bytes(context, bytes, type);
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
