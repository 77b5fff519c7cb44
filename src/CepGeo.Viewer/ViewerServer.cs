using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CepGeo.Viewer;

/// <summary>The viewer's web server, bound to 127.0.0.1 only.</summary>
public sealed class ViewerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ViewerServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where the page is, e.g. <c>http://127.0.0.1:8765/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="data"/>.</summary>
    /// <param name="port">0 picks a free port.</param>
    /// <param name="tiles">An optional tile URL template (<c>https://…/{z}/{x}/{y}.png</c>); none by default.</param>
    /// <remarks>The host's console lifetime (registered by default) stops the server on Ctrl+C and SIGTERM.</remarks>
    /// <param name="plan">Plan mode: the plan being edited (its endpoints and its writes); null for the read-only viewer.</param>
    /// <param name="version">CepGeo's version, written into exported files.</param>
    public static async Task<ViewerServer> StartAsync(ViewerData data, int port, string? tiles = null, PlanSession? plan = null, string version = "")
    {
        ArgumentNullException.ThrowIfNull(data);
        if (plan is not null) data.Study["plan"] = true;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            // Nothing is read from the working folder: no appsettings.json, no wwwroot.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            ViewerSecurity.Limit(k.Limits, plan is null ? 0 : PlanSession.MaxBodyBytes);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Logging.ClearProviders();
        // A page elsewhere must not reach this server through a DNS name pointing at 127.0.0.1.
        builder.Services.AddHostFiltering(o => o.AllowedHosts = ["127.0.0.1", "localhost"]);

        var app = builder.Build();
        app.UseViewerSecurity(tiles, plan is null ? null
            : new WriteAccess("/api/plan", PlanSession.TokenHeader, plan.Token, PlanSession.MaxBodyBytes));
        app.UseHostFiltering();
        app.UseRouting();
        if (plan is not null) app.MapPlanEndpoints(plan, version);
        app.MapCepGeoViewer(data, tiles);
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.EndsWith('/') ? address : address + "/");
        return new ViewerServer(app, url);
    }

    /// <summary>Returns when the server stops (Ctrl+C, SIGTERM, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
