using System.Globalization;
using System.Net.Http.Json;
using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Servers;

/// <summary>What <c>GET /bench/stats</c> of the simulator answers.</summary>
internal sealed record SimulatorStats(int Users, int OpenConnections, int TotalConnections, int SuccessfulLogins, int FailedLogins);

/// <summary>One update the simulator's driver sent: user, new <c>data-state</c>, send time in Unix ms.</summary>
internal sealed record SentUpdate(string Guid, string State, double SentAt);

/// <summary>A call the simulator started: the callee's guid, the peer its tile must show, send time (Unix ms).</summary>
internal sealed record SentCall(string Guid, string Peer, double SentAt);

/// <summary>The standalone simulator in its own process, in benchmark mode, with a fixed seed.</summary>
internal sealed class SimulatorProcess : IDisposable
{
    public const string App = "rcc";
    public const int Seed = 42;

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SimulatorProcess(ChildProcess process, HttpClient http, Uri webSocketUrl, string secret)
    {
        _process = process;
        _http = http;
        WebSocketUrl = webSocketUrl;
        Secret = secret;
    }

    /// <summary>ws://127.0.0.1:&lt;port&gt;/PBX0/APPS/websocket</summary>
    public Uri WebSocketUrl { get; }

    public string Secret { get; }

    /// <summary>Starts the simulator with <paramref name="users"/> people (and, with <paramref name="settings"/> such as <c>--Simulator:Objects=true</c>, more).</summary>
    public static async Task<SimulatorProcess> StartAsync(Repository repository, int users, string secret, CancellationToken ct, params string[] settings)
    {
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        string[] arguments =
        [
            "--urls", baseUrl.ToString().TrimEnd('/'),
            $"--Simulator:App={App}",
            $"--Simulator:Secret={secret}",
            string.Create(CultureInfo.InvariantCulture, $"--Simulator:Users={users}"),
            "--Simulator:EventsPerSecond=0",
            string.Create(CultureInfo.InvariantCulture, $"--Simulator:Seed={Seed}"),
            "--Simulator:Benchmark=true",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var process = ChildProcess.StartDotnet("simulator", repository.SimulatorDll, repository.SimulatorProject, arguments, new Dictionary<string, string>());
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(12) };
        var simulator = new SimulatorProcess(process, http, new Uri($"ws://127.0.0.1:{port}/PBX0/APPS/websocket"), secret);
        try
        {
            await Wait.UntilAsync($"the simulator answers on {baseUrl}", TimeSpan.FromSeconds(30), async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The simulator exited:{Environment.NewLine}{process.OutputTail()}");
                }

                try
                {
                    // Objects (queues, trunk), when asked for, come on top of the people.
                    return (await simulator.StatsAsync(ct)).Users >= users;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, ct);
            return simulator;
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }

    public async Task<SimulatorStats> StatsAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<SimulatorStats>("bench/stats", ct) ?? throw new InvalidOperationException("No stats.");

    /// <summary>Changes <paramref name="count"/> lamps at <paramref name="perSecond"/>; returns when all are sent.</summary>
    public Task<IReadOnlyList<SentUpdate>> DriveAsync(int count, double perSecond, int seed, CancellationToken ct)
    {
        return PostRunAsync<SentUpdate>(string.Create(CultureInfo.InvariantCulture, $"bench/drive?count={count}&rate={perSecond}&seed={seed}"), "run", ct);
    }

    /// <summary>
    /// Fills every waiting queue to <paramref name="callers"/>, then changes the queues in turn <paramref name="count"/>
    /// times at <paramref name="perSecond"/> (beside a lamp run); returns each change (queue guid, callers waiting, send time).
    /// </summary>
    public Task<IReadOnlyList<SentUpdate>> QueuesAsync(int count, double perSecond, int seed, int callers, CancellationToken ct)
    {
        return PostRunAsync<SentUpdate>(string.Create(CultureInfo.InvariantCulture, $"bench/queues?count={count}&rate={perSecond}&seed={seed}&callers={callers}"), "queue run", ct);
    }

    /// <summary>Every waiting queue's callers waiting now, by guid (the simulator's truth).</summary>
    public async Task<IReadOnlyDictionary<string, string>> QueueCountsAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<Dictionary<string, string>>("bench/queues", ct) ?? throw new InvalidOperationException("No queues.");

    /// <summary>Runs <paramref name="count"/> calls (ring, answer, hold, retrieve, hang up) at <paramref name="perSecond"/>; returns when all are sent.</summary>
    public Task<IReadOnlyList<SentCall>> CallsAsync(int count, double perSecond, int seed, CancellationToken ct)
    {
        return PostRunAsync<SentCall>(string.Create(CultureInfo.InvariantCulture, $"bench/calls?count={count}&rate={perSecond}&seed={seed}"), "calls", ct);
    }

    /// <summary>Every user's lamp as a board's <c>data-state</c>, by guid (the simulator's truth now).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LampsAsync(CancellationToken ct) =>
        await _http.GetFromJsonAsync<Dictionary<string, string>>("bench/lamps", ct) ?? throw new InvalidOperationException("No lamps.");

    /// <summary>Cuts every connection to the simulator (its clients reconnect and resync).</summary>
    public async Task DropConnectionsAsync(CancellationToken ct)
    {
        using var response = await _http.PostAsync("bench/drop", content: null, ct);
        response.EnsureSuccessStatusCode();
    }

    public ProcessSample Sample() => _process.Sample();

    /// <summary>Starts a driver run and waits for its log; a refusal (400, 409) names <paramref name="run"/> and the simulator's reason.</summary>
    private async Task<IReadOnlyList<T>> PostRunAsync<T>(string uri, string run, CancellationToken ct)
    {
        using var response = await _http.PostAsync(uri, content: null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The simulator refused the {run}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        return await response.Content.ReadFromJsonAsync<List<T>>(ct) ?? [];
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
