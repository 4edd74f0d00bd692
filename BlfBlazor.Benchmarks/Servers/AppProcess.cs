using System.Net;
using System.Net.Http.Json;
using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Servers;

/// <summary>
/// The app (Release build) in its own process, pointed at the simulator like at a real PBX, with the
/// opt-in <c>/diagnostics/counters</c> endpoint on and logging at Warning.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    public const string BoardRenders = "blf.board.renders";
    public const string TileRenders = "blf.tile.renders";
    public const string FramesReceived = "blf.pbx.frames.received";
    public const string BoardsOpen = "blf.boards.open";

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private AppProcess(ChildProcess process, HttpClient http, Uri baseUrl)
    {
        _process = process;
        _http = http;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static async Task<AppProcess> StartAsync(Repository repository, SimulatorProcess simulator, CancellationToken ct)
    {
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Pbx__Url"] = simulator.WebSocketUrl.ToString(),
            ["Pbx__App"] = SimulatorProcess.App,
            ["Pbx__Secret"] = simulator.Secret,
            ["Diagnostics__ExposeCounters"] = "true",

            // Every headless board comes from this one loopback address, and the runs go past 1,000:
            // the caps that protect an installed board (Blf:Limits) would refuse what is being measured.
            ["Blf__Limits__CircuitsPerClient"] = "100000",
            ["Blf__Limits__Circuits"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var process = ChildProcess.StartDotnet("app", repository.AppDll, repository.AppProject, [], environment);
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var app = new AppProcess(process, http, baseUrl);
        try
        {
            await app.WaitLiveAsync(TimeSpan.FromSeconds(60), ct);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>Waits until <c>/healthz</c> answers 200: logged in and the initial list complete.</summary>
    public Task WaitLiveAsync(TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync("the app to be live (/healthz 200)", timeout, async () => await HealthAsync(ct) == HttpStatusCode.OK, ct);

    /// <summary>The status code of <c>/healthz</c>, or 0 while nothing answers.</summary>
    public async Task<HttpStatusCode> HealthAsync(CancellationToken ct)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The app exited:{Environment.NewLine}{_process.OutputTail()}");
        }

        try
        {
            using var response = await _http.GetAsync("healthz", ct);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> CountersAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<Dictionary<string, long>>("diagnostics/counters", ct)
        ?? throw new InvalidOperationException("No counters.");

    public ProcessSample Sample() => _process.Sample();

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
