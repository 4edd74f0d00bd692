using System.Net;
using System.Net.Http.Json;
using BlfBlazor.PbxSimulator.Benchmark;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.Tests.Simulator;

/// <summary>The benchmark's HTTP endpoints on a simulator on loopback, as a benchmark in another process uses them.</summary>
[Trait("Category", "Integration")]
public class BenchmarkEndpointsTests
{
    [Fact]
    public async Task The_bench_endpoints_exist_only_in_benchmark_mode()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var plain = await SimulatorServer.StartAsync(new SimulatorOptions { Users = 5, EventsPerSecond = 0, Seed = 1 }, timeout.Token);
        await using var bench = await SimulatorServer.StartAsync(new SimulatorOptions { Users = 5, EventsPerSecond = 0, Seed = 1 }, BenchmarkEndpoints.Map, timeout.Token);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(HttpBase(plain), "bench/stats"), timeout.Token)).StatusCode);

        var stats = await http.GetFromJsonAsync<BenchmarkStats>(new Uri(HttpBase(bench), "bench/stats"), timeout.Token);
        Assert.Equal(new BenchmarkStats(5, 0, 0, 0, 0), stats);

        using var drive = await http.PostAsync(new Uri(HttpBase(bench), "bench/drive?count=3&rate=1000&seed=2"), null, timeout.Token);
        var log = await drive.Content.ReadFromJsonAsync<List<DrivenUpdate>>(timeout.Token);
        Assert.Equal(3, log!.Count);
        Assert.Equal(log, await http.GetFromJsonAsync<List<DrivenUpdate>>(new Uri(HttpBase(bench), "bench/updates"), timeout.Token));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri(HttpBase(bench), "bench/drive?count=3&rate=-1"), null, timeout.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync(new Uri(HttpBase(bench), "bench/drop"), null, timeout.Token)).StatusCode);

        using var calls = await http.PostAsync(new Uri(HttpBase(bench), "bench/calls?count=2&rate=1000&seed=2"), null, timeout.Token);
        var started = await calls.Content.ReadFromJsonAsync<List<DrivenCall>>(timeout.Token);
        Assert.Equal(2, started!.Count);
        Assert.Equal(started, await http.GetFromJsonAsync<List<DrivenCall>>(new Uri(HttpBase(bench), "bench/calls"), timeout.Token));
    }

    [Fact]
    public async Task The_truth_and_the_scenario_switch_are_served_to_a_benchmark_in_another_process()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var bench = await SimulatorServer.StartAsync(new SimulatorOptions { Users = 3, EventsPerSecond = 0, Seed = 1 }, BenchmarkEndpoints.Map, timeout.Token);
        var (alice, bob) = (bench.Pbx.Users[0], bench.Pbx.Users[1]);
        var call = bench.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        bench.Pbx.SetPresence(bob.Guid, "dnd", "in a meeting");
        using var http = new HttpClient();

        var truth = await http.GetFromJsonAsync<PbxTruth>(new Uri(HttpBase(bench), "bench/truth"), timeout.Token);
        var paused = await http.PostAsync(new Uri(HttpBase(bench), "bench/scenario/pause"), null, timeout.Token);
        var pausedStep = bench.Pbx.TryRunScenarioStep(() => { });
        var resumed = await http.PostAsync(new Uri(HttpBase(bench), "bench/scenario/resume"), null, timeout.Token);

        var leg = Assert.Single(truth!.Calls[bob.Guid]);
        Assert.Equal((call.CalleeLeg, "in", CallPhase.Ringing), (leg.Call, leg.Direction, leg.Phase));
        Assert.Equal(new PresenceTruth("dnd", "in a meeting", true), truth.Presence[bob.Guid]);
        Assert.Equal((HttpStatusCode.NoContent, false, HttpStatusCode.NoContent), (paused.StatusCode, pausedStep, resumed.StatusCode));
        Assert.True(bench.Pbx.TryRunScenarioStep(() => { }));
    }

    private static Uri HttpBase(SimulatorServer server) => new UriBuilder(server.WebSocketUrl) { Scheme = "http", Path = "/" }.Uri;
}
