using BlfBlazor.Diagnostics;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using System.Net;

namespace BlfBlazor.Tests.Integration;

/// <summary>Every frame from the PBX is untrusted; none may cost the connection, the directory or a board.</summary>
[Trait("Category", "Integration")]
public sealed class HostileInputTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 60, seed: 21);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_malformed_frames_interleaved_with_updates_change_nothing_but_the_updates()
    {
        // The app's clock stands still unless the test moves it, so its rate limit on logging is exact.
        var time = new FakeTimeProvider();
        var app = await _host.StartLiveAppAsync(time: time);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var dropped = new MetricCollector<long>(meters, BlfMetrics.MeterName, "blf.pbx.frames.dropped");
        using var received = new MetricCollector<long>(meters, BlfMetrics.MeterName, "blf.pbx.frames.received");
        var random = new Random(4);
        var sent = new Dictionary<MalformedFrameKind, int>();
        var validUpdates = 0;

        for (var batch = 0; batch < 20; batch++)
        {
            foreach (var (kind, count) in await _host.Pbx.SendMalformedFramesAsync(500, seed: batch))
            {
                sent[kind] = sent.GetValueOrDefault(kind) + count;
            }

            for (var i = 0; i < 5; i++)
            {
                var user = _host.Pbx.Users[random.Next(60)];
                _host.Pbx.SetLamp(user.Guid, registered: random.Next(4) > 0, channel: random.Next(2), alert: random.Next(3) == 0 ? 1 : 0);
                validUpdates++;
            }
        }

        // A last update that surely changes a lamp: once the board shows it, every frame before it was read.
        var last = _host.Pbx.Users[0];
        _host.Pbx.SetLamp(last.Guid, registered: true, channel: 0, alert: Lamps.Expected(last) == "ringing" ? 0 : 1);
        validUpdates++;

        var truth = _host.Pbx.Users.ToDictionary(u => u.Guid, Lamps.Expected);
        var board = await app.Directory.WaitForAsync(
            s => s.Users.Length == truth.Count && s.Users.All(u => truth.TryGetValue(u.Guid, out var lamp) && lamp == u.Lamp.ToToken()),
            "the board to equal the truth of the valid updates");

        Assert.Equal(10_000, sent.Values.Sum());
        Assert.All(Enum.GetValues<MalformedFrameKind>(), kind => Assert.True(sent[kind] > 0, $"no {kind} frames were sent"));
        Assert.Equal(ConnectionState.Live, board.Status.State);
        Assert.Equal(1, _host.Pbx.SuccessfulLogins);
        Assert.Equal(1, _host.Pbx.OpenConnections);

        // Every malformed frame is counted as dropped, once. Of the "unknown message type" kind,
        // those with a well-formed but unknown mt are ignored by design, those without mt dropped.
        var droppedInFlood = dropped.GetMeasurementSnapshot().EvaluateAsCounter();
        Assert.InRange(droppedInFlood, 10_000 - sent[MalformedFrameKind.UnknownMessageType], 10_000);
        Assert.True(received.GetMeasurementSnapshot().EvaluateAsCounter() >= 10_000 + validUpdates);

        using var http = app.CreateHttpClient();
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Dropped frames are logged, but rate-limited: within the app's 10 s interval the whole flood is one line,
        Assert.Single(app.Logs.Entries, IsDropLine);

        // and the first drop after the interval says how many went unlogged in between.
        time.Advance(TimeSpan.FromSeconds(10));
        await _host.Pbx.SendMalformedFramesAsync(20, seed: 99);
        await app.Logs.WaitForAsync(IsDropLine, count: 2, "the drop line after the interval");
        Assert.Contains($"({droppedInFlood - 1} more dropped since the last such message)", app.Logs.Entries.Where(IsDropLine).Last().Text, StringComparison.Ordinal);
    }

    private static bool IsDropLine(CapturedLogs.Entry entry) => entry.Text.StartsWith("Dropped a PBX frame", StringComparison.Ordinal);
}
