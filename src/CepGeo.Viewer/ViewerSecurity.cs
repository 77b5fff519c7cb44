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
    /// <param name="styleHashes">Hashes of inline style sheets allowed besides the page's own files (plan mode: <see cref="LassoStyleHashes"/>).</param>
    public static string ContentSecurityPolicy(string? tiles, string? styleHashes = null)
    {
        string img = "'self'";
        if (tiles is not null && Uri.TryCreate(tiles.Replace("{s}", "a", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
                .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal),
                UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            // Leaflet's {s} subdomains (a, b, c) all have to be allowed.
            img += " " + (tiles.Contains("{s}", StringComparison.Ordinal) ? $"{u.Scheme}://*.{u.Host[(u.Host.IndexOf('.') + 1)..]}" : u.GetLeftPart(UriPartial.Authority));
        return "default-src 'none'; script-src 'self'; style-src 'self'" + (styleHashes is null ? "" : " " + styleHashes) + "; img-src " + img +
            "; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>
    /// The two style sheets leaflet-lasso 2.2.13 injects as it loads (its cursor while drawing), and the empty
    /// sheet it creates first: allowed by hash in plan mode, so nothing else inline is. A new lasso version
    /// that changes them shows as a CSP violation in the plan mode's browser tests.
    /// </summary>
    public const string LassoStyleHashes = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'sha256-ST7YkqUUVdtqMf8u5S1958Tu3L8LHqQW2TVmJ87jRNM=' 'sha256-QKU7gX3F3GaIhe/OH/0A50iyrI1CVK5OSOD+ir6uLD0='";

    /// <summary>
    /// Kestrel's own limits: a longer URL gets 414, too many or too large headers 431, before any of our
    /// code runs; connections over <see cref="MaxConnections"/> are closed as they come; slow or idle
    /// ones are dropped after a timeout.
    /// </summary>
    /// <param name="maxBodyBytes">0 (read-only viewer), or the largest plan edit accepted (plan mode).</param>
    public static void Limit(KestrelServerLimits limits, long maxBodyBytes = 0)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.RequestHeadersTimeout = HeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MaxRequestLineSize = MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
        limits.MaxRequestHeaderCount = MaxHeaderCount;
        limits.MaxRequestBodySize = maxBodyBytes;
    }

    /// <summary>
    /// First in the pipeline, so that every response it produces (pages, API, 404s, host refusals) carries
    /// the headers; then refuses bodies (413) and methods other than GET and HEAD (405): the viewer is read-only.
    /// </summary>
    /// <param name="writes">In plan mode, the one place writes are taken (POST under its path, with its token and a
    /// body no larger than its limit); null keeps the viewer read-only.</param>
    public static IApplicationBuilder UseViewerSecurity(this IApplicationBuilder app, string? tiles, WriteAccess? writes = null)
    {
        string csp = ContentSecurityPolicy(tiles, writes is null ? null : LassoStyleHashes);
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = csp;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            var request = context.Request;
            if (writes is not null && HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(writes.Path, StringComparison.Ordinal))
            {
                if (!writes.Allows(request.Headers[writes.Header].ToString()))
                {
                    await Refuse(context, StatusCodes.Status403Forbidden, "plan edits are taken from the viewer's own page only (token missing or wrong)").ConfigureAwait(false);
                    return;
                }
                if (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
                {
                    await Refuse(context, StatusCodes.Status411LengthRequired, "a plan edit must give its length").ConfigureAwait(false);
                    return;
                }
                if (request.ContentLength > writes.MaxBodyBytes)
                {
                    await Refuse(context, StatusCodes.Status413PayloadTooLarge, $"a plan edit is at most {writes.MaxBodyBytes} bytes").ConfigureAwait(false);
                    return;
                }
                await next(context).ConfigureAwait(false);
                return;
            }
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

/// <summary>Where and how the plan mode takes writes: POST under <paramref name="Path"/> with the launch token in <paramref name="Header"/>.</summary>
public sealed record WriteAccess(string Path, string Header, string Token, long MaxBodyBytes)
{
    /// <summary>Compared in constant time, so the token cannot be guessed byte by byte from response times.</summary>
    public bool Allows(string? token) => token is not null &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(Token));
}
