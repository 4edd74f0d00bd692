using System.Net;
using System.Security.Cryptography.X509Certificates;
using BlfBlazor.PbxSimulator.Core.Model;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>
/// A simulated PBX on its own Kestrel at http://127.0.0.1:&lt;free port&gt; (or https:// with a given
/// certificate) inside the current process (demo mode and tests). It reads none of the process's
/// configuration: only the options given.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private int _disposed;

    private SimulatorServer(WebApplication app, Uri webSocketUrl, SimulatedPbx pbx)
    {
        _app = app;
        WebSocketUrl = webSocketUrl;
        Pbx = pbx;
    }

    /// <summary>ws://127.0.0.1:&lt;port&gt;/PBX0/APPS/websocket, or wss:// when started with a certificate.</summary>
    public Uri WebSocketUrl { get; }

    public SimulatedPbx Pbx { get; }

    /// <summary>Starts a simulated PBX with plain HTTP on http://127.0.0.1:&lt;free port&gt;.</summary>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default) =>
        StartCoreAsync(options, certificate: null, mapMore: null, timeProvider: null, ct);

    /// <summary>
    /// Like <see cref="StartAsync(SimulatorOptions, CancellationToken)"/> with the PBX on the given clock
    /// (call <c>time</c>, the initial list's pacing and the scenario's steps follow it): tests pass a fake one.
    /// </summary>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, TimeProvider timeProvider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return StartCoreAsync(options, certificate: null, mapMore: null, timeProvider, ct);
    }

    /// <summary>
    /// Like <see cref="StartAsync(SimulatorOptions, CancellationToken)"/>, with more endpoints that
    /// <paramref name="mapMore"/> maps next to the PBX's (how the tests host the benchmark's endpoints).
    /// </summary>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, Action<WebApplication> mapMore, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mapMore);
        return StartCoreAsync(options, certificate: null, mapMore, timeProvider: null, ct);
    }

    /// <summary>
    /// Starts a simulated PBX with HTTPS on https://127.0.0.1:&lt;free port&gt; (WebSocketUrl wss://…),
    /// presenting <paramref name="certificate"/>. The certificate needs its private key (on Linux, load it
    /// from PKCS#12, e.g. with X509CertificateLoader.LoadPkcs12) and must outlive the server; the caller keeps ownership.
    /// </summary>
    public static Task<SimulatorServer> StartAsync(SimulatorOptions options, X509Certificate2 certificate, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The certificate has no private key; a TLS server needs one.", nameof(certificate));
        }

        return StartCoreAsync(options, certificate, mapMore: null, timeProvider: null, ct);
    }

    private static async Task<SimulatorServer> StartCoreAsync(
        SimulatorOptions options, X509Certificate2? certificate, Action<WebApplication>? mapMore, TimeProvider? timeProvider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Drop appsettings.json, environment variables and the rest: the host process's "Kestrel",
        // "Logging" or "Simulator" settings must not leak into this server. The empty in-memory
        // source takes the settings written below (UseUrls writes into the configuration).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        if (certificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime>(new EmbeddedHostLifetime());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = s_shutdownTimeout);
        if (timeProvider is not null)
        {
            // Only the PBX gets the clock; Kestrel and the host keep the real one.
            builder.Services.AddSingleton(services => SimulatedPbxFactory.Create(services, timeProvider));
        }

        builder.AddPbxSimulator(options.CopyTo);

        var app = builder.Build();
        app.MapPbxSimulator();
        mapMore?.Invoke(app);
        try
        {
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var scheme = certificate is null ? "ws" : "wss";
            var webSocketUrl = new UriBuilder(address) { Scheme = scheme, Path = PbxWebSocketEndpoint.Path }.Uri;
            return new SimulatorServer(app, webSocketUrl, app.Services.GetRequiredService<SimulatedPbx>());
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes every session (close frame "PBX shutting down") and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
