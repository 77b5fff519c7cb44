using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CepGeo.Viewer;

/// <summary>
/// What keeps the viewer from serving more than the study (issue 5): small request limits, read-only
/// methods, and headers that stop the browser from guessing types or loading anything from elsewhere.
/// </summary>
public static class ViewerSecurity
{
    /// <summary>Longest request line (method, URL, version): every viewer URL is under 200 bytes.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>All headers together; a browser sends 1–2 KB.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 64;

    /// <summary>
    /// Connections open at once. A browser opens about six per server; beyond this Kestrel closes new
    /// connections at once, so holding thousands of them cannot exhaust the process's file handles
    /// (issue 21: ~20,000 held connections killed it).
    /// </summary>
    public const int MaxConnections = 200;

    /// <summary>How long a connection may take to send its request headers, and stay idle between requests.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Content-Security-Policy of every response: scripts, styles, data and images from the page's own
    /// origin only (the page has no inline script or style attribute; the PNG export draws on a canvas and
    /// downloads a blob, which needs no image source). With <c>--tiles</c>, images may also come from
    /// the tile server's origin, and from nowhere else.
    /// </summary>
    public static string ContentSecurityPolicy(string? tiles)
    {
        string img = "'self'";
        if (tiles is not null && Uri.TryCreate(tiles.Replace("{s}", "a", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
                .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal),
                UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            // Leaflet's {s} subdomains (a, b, c) all have to be allowed.
            img += " " + (tiles.Contains("{s}", StringComparison.Ordinal) ? $"{u.Scheme}://*.{u.Host[(u.Host.IndexOf('.') + 1)..]}" : u.GetLeftPart(UriPartial.Authority));
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src " + img +
            "; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>
    /// Kestrel's own limits: a longer URL gets 414, too many or too large headers 431, before any of our
    /// code runs; connections over <see cref="MaxConnections"/> are closed as they come; slow or idle
    /// ones are dropped after a timeout.
    /// </summary>
    public static void Limit(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.RequestHeadersTimeout = HeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MaxRequestLineSize = MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
        limits.MaxRequestHeaderCount = MaxHeaderCount;
        limits.MaxRequestBodySize = 0;
    }

    /// <summary>
    /// First in the pipeline, so that every response it produces (pages, API, 404s, host refusals) carries
    /// the headers; then refuses bodies (413) and methods other than GET and HEAD (405): the viewer is read-only.
    /// </summary>
    public static IApplicationBuilder UseViewerSecurity(this IApplicationBuilder app, string? tiles)
    {
        string csp = ContentSecurityPolicy(tiles);
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = csp;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            var request = context.Request;
            if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                await Refuse(context, StatusCodes.Status413PayloadTooLarge, "the viewer accepts no request body").ConfigureAwait(false);
                return;
            }
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                headers.Allow = "GET, HEAD";
                await Refuse(context, StatusCodes.Status405MethodNotAllowed, "the viewer is read-only: GET and HEAD only").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
    }

    private static Task Refuse(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        // The client may still be sending a body we will never read: close rather than drain it.
        context.Response.Headers.Connection = "close";
        return Results.Problem(title: title, statusCode: status).ExecuteAsync(context);
    }
}
