using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CepGeo.Viewer;

/// <summary>
/// Responses gzipped once and kept: everything the viewer serves is computed before the server starts and
/// never changes, so each body is compressed the first time it is asked for, not on every request.
/// GeoJSON shrinks about four times, which is most of what keeps a national study's first load under 3 MB.
/// </summary>
internal static class Compressed
{
    /// <summary>Below this, gzip's header costs more than it saves.</summary>
    private const int MinBytes = 1024;

    private static readonly ConcurrentDictionary<byte[], byte[]> Cache = new(ReferenceEqualityComparer.Instance);

    /// <summary>The bytes, gzipped when the client accepts gzip.</summary>
    public static IResult Bytes(HttpContext context, byte[] bytes, string contentType)
    {
        var response = context.Response;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (bytes.Length < MinBytes || !AcceptsGzip(context.Request)) return Results.Bytes(bytes, contentType);
        response.Headers.ContentEncoding = "gzip";
        return Results.Bytes(Cache.GetOrAdd(bytes, Gzip), contentType);
    }

    /// <summary>The gzipped form of a body (for tests: what the browser receives).</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(bytes);
        return buffer.ToArray();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Split(',').Any(e =>
            e.Trim().StartsWith("gzip", StringComparison.OrdinalIgnoreCase) && !e.Contains("q=0", StringComparison.Ordinal)));
}
