using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Faults;

namespace BlfBlazor.PbxSimulator.Benchmark;

/// <summary>The counts a benchmark reads: how many connections and logins the viewers cost the PBX.</summary>
public sealed record BenchmarkStats(int Users, int OpenConnections, int TotalConnections, int SuccessfulLogins, int FailedLogins);

/// <summary>
/// The control endpoints of benchmark mode (<c>--Simulator:Benchmark=true</c>), for this machine only:
/// <list type="bullet">
/// <item><c>GET /bench/stats</c>: users, open and total connections, successful and failed logins;</item>
/// <item><c>POST /bench/drive?count=1500&amp;rate=100&amp;seed=1</c>: changes that many lamps at that
/// rate (per second) and answers, once done, with each update's guid, new <c>data-state</c> and send
/// time (Unix ms); 409 while another run is under way;</item>
/// <item><c>GET /bench/updates</c>: the log of the latest run again;</item>
/// <item><c>POST /bench/calls?count=5000&amp;rate=100&amp;seed=1</c>: that many call operations at that rate
/// (outside calls that ring, are answered, held, retrieved and hung up: 7 CallInfo each) and answers,
/// once done, with each call started: guid, the peer its tile must show, send time (Unix ms);
/// <c>GET /bench/calls</c>: that log again;</item>
/// <item><c>POST /bench/queues?count=400&amp;rate=20&amp;seed=1&amp;callers=10</c>: fills every waiting queue to that
/// many callers, then changes the queues in turn at that rate (a caller arrives or gives up), beside a lamp run,
/// and answers with each change's queue guid, callers waiting and send time; <c>GET /bench/queues</c>: each
/// queue's callers waiting now, by guid;</item>
/// <item><c>POST /bench/drop</c>: cuts every connection (a client then reconnects and resyncs);</item>
/// <item><c>GET /bench/truth</c>: every user's call legs and presence as a correct board shows them
/// (<see cref="PbxTruth"/>), for comparing a board driven by this simulator in another process;</item>
/// <item><c>GET /bench/lamps</c>: every person's lamp as a board's <c>data-state</c>, by guid;</item>
/// <item><c>POST /bench/scenario/pause</c>, <c>POST /bench/scenario/resume</c>: hold the scenario
/// still between two steps (so the truth stays put while a board catches up), and let it go on.</item>
/// </list>
/// </summary>
public static class BenchmarkEndpoints
{
    /// <summary>The configuration key that switches benchmark mode on in the standalone simulator.</summary>
    public const string SwitchKey = SimulatorOptions.SectionName + ":Benchmark";

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var driver = new BenchmarkDriver(app.Services.GetRequiredService<SimulatedPbx>());
        var bench = app.MapGroup("/bench").AddEndpointFilter(async (context, next) =>
            PbxWebSocketEndpoint.IsLocal(context.HttpContext.Connection.RemoteIpAddress)
                ? await next(context)
                : Results.StatusCode(StatusCodes.Status403Forbidden));

        bench.MapGet("/stats", (SimulatedPbx pbx) => new BenchmarkStats(
            pbx.Users.Count, pbx.OpenConnections, pbx.TotalConnections, pbx.SuccessfulLogins, pbx.FailedLogins));

        bench.MapPost("/drive", (int count, double rate, int? seed, CancellationToken ct) =>
            RunAsync(() => driver.RunAsync(count, rate, seed ?? 1, ct)));

        bench.MapGet("/updates", () => driver.LastRun);

        bench.MapPost("/calls", (int count, double rate, int? seed, CancellationToken ct) =>
            RunAsync(() => driver.RunCallsAsync(count, rate, seed ?? 1, ct)));

        bench.MapGet("/calls", () => driver.LastCallRun);

        bench.MapPost("/queues", (int count, double rate, int? seed, int? callers, CancellationToken ct) =>
            RunAsync(() => driver.RunQueuesAsync(count, rate, seed ?? 1, callers ?? 10, ct)));

        bench.MapGet("/queues", (SimulatedPbx pbx) => BenchmarkDriver.QueueCounts(pbx));

        bench.MapPost("/drop", (SimulatedPbx pbx) =>
        {
            pbx.DropConnections();
            return Results.NoContent();
        });

        bench.MapGet("/truth", (SimulatedPbx pbx) => pbx.Truth);

        bench.MapGet("/lamps", (SimulatedPbx pbx) => BenchmarkDriver.Lamps(pbx));

        bench.MapPost("/scenario/pause", (SimulatedPbx pbx) =>
        {
            pbx.PauseScenario();
            return Results.NoContent();
        });

        bench.MapPost("/scenario/resume", (SimulatedPbx pbx) =>
        {
            pbx.ResumeScenario();
            return Results.NoContent();
        });
    }

    /// <summary>A run's log; 400 for a rate or length out of bounds, 409 while another run is under way.</summary>
    private static async Task<IResult> RunAsync<T>(Func<Task<IReadOnlyList<T>?>> run)
    {
        IReadOnlyList<T>? log;
        try
        {
            log = await run();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Results.BadRequest(ex.Message);
        }

        return log is null ? Results.Conflict("A run is under way.") : Results.Ok(log);
    }
}
