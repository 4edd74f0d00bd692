using System.Net;
using BlfBlazor.State;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel socket on loopback (a free port), configured like an admin
/// would configure it. Browsers and WebSockets reach it exactly as in production.
/// </summary>
public sealed class BoardApp : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    private BoardApp(IReadOnlyDictionary<string, string?> settings, string environment, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _environment = environment;
        _services = services;
    }

    /// <summary>Everything the app logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public UserDirectory Directory => Services.GetRequiredService<UserDirectory>();

    /// <summary>Starts the app pointed at a PBX (usually the simulator).</summary>
    public static BoardApp Start(Uri pbxUrl, string app, string secret, IReadOnlyDictionary<string, string?>? more = null, Action<IServiceCollection>? services = null, int port = 0, string environment = "Development")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pbx:Url"] = pbxUrl.ToString(),
            ["Pbx:App"] = app,
            ["Pbx:Secret"] = secret,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return StartWith(settings, environment, services, port);
    }

    /// <summary>Starts the app with exactly these settings (e.g. none, for the demo board).</summary>
    /// <param name="port">0 for a free port; a given port lets a test restart the app where browsers expect it.</param>
    public static BoardApp StartWith(IReadOnlyDictionary<string, string?> settings, string environment = "Development", Action<IServiceCollection>? services = null, int port = 0)
    {
        var app = new BoardApp(settings, environment, services);
        try
        {
            app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            app.StartServer();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            app.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            return app;
        }
        catch (Exception startFailure)
        {
            try
            {
                app.Dispose();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A half-started host may fail to dispose; the start failure is what a test asserts on.
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(startFailure).Throw();
            throw;
        }
    }

    /// <summary>
    /// The app's own state folder when the test names no store: each app gets an empty SQLite file
    /// there, never one in the source tree or shared with another test's app.
    /// </summary>
    public string? StateFolder { get; private set; }

    /// <summary>An HTTP client for the real socket (not the in-memory test server).</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        if (!_settings.ContainsKey("ConnectionStrings:Blf"))
        {
            StateFolder = System.IO.Directory.CreateTempSubdirectory("blf-app-").FullName;
            builder.UseSetting("ConnectionStrings:Blf", $"Data Source={Path.Combine(StateFolder, "blf.db")};Pooling=False");
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));

        // A browser page left open keeps its circuit's WebSocket up; do not wait 30 s for it.
        builder.ConfigureServices(services => services.Configure<HostOptions>(host => host.ShutdownTimeout = TestTimeouts.AppShutdown));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteStateFolder();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteStateFolder();
    }

    private void DeleteStateFolder()
    {
        if (StateFolder is { } folder && System.IO.Directory.Exists(folder))
        {
            try
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown: the temp folder is the system's to clean.
            }
        }
    }
}
