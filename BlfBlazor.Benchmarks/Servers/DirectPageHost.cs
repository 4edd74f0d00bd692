using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Benchmarks.Servers;

/// <summary>
/// Serves the direct page (plain HTML + JavaScript that talks to the PBX itself, like innovaphone's
/// tutorial) and its login endpoint, on a loopback port inside the benchmark process.
/// </summary>
internal sealed class DirectPageHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DirectPageHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The page for one viewer: it opens its own WebSocket to <paramref name="pbx"/>.</summary>
    public Uri PageUrl(Uri pbx) => new(BaseUrl, $"direct.html?pbx={Uri.EscapeDataString(pbx.ToString())}");

    public static async Task<DirectPageHost> StartAsync(string app, string secret, CancellationToken ct)
    {
        DirectLogin.SelfTest();
        var folder = Path.Combine(AppContext.BaseDirectory, "DirectPage");
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "direct.html"), ct);
        var script = await File.ReadAllTextAsync(Path.Combine(folder, "direct.js"), ct);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        web.MapGet("/direct.html", () => Results.Text(html, "text/html; charset=utf-8"));
        web.MapGet("/direct.js", () => Results.Text(script, "text/javascript; charset=utf-8"));
        web.MapGet("/login", (string challenge) => Results.Json(DirectLogin.Create(app, challenge, secret)));
        await web.StartAsync(ct);
        var address = web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DirectPageHost(web, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
