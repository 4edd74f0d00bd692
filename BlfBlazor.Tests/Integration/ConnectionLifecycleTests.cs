using System.Diagnostics;
using BlfBlazor.Diagnostics;
using System.Diagnostics.Metrics;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// Reconnect, resync and refused logins against the real simulator. The app's clock is fake, so
/// the test decides when a backoff ends; recovery times are reported, never asserted.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConnectionLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "lifecycle-secret-2718";
    private readonly SteppedTimeProvider _time = new();
    private readonly BoardTestHost _host = new(users: 40, seed: 11, Secret);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task After_a_reconnect_the_new_initial_list_is_the_truth()
    {
        var app = await _host.StartLiveAppAsync(time: _time);
        var users = _host.Pbx.Users;

        await app.Directory.WaitForAsync(_ => app.Directory.Monitoring.Monitored == users.Count, "every user's calls monitored");
        _host.Pbx.DropConnections();
        await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.Reconnecting, "reconnecting");
        var delay = await _time.WaitForBackoffAsync();

        // The connection's monitors died with it, and /healthz says so.
        Assert.Equal((0, 0), (app.Directory.Monitoring.Monitored, app.Directory.Monitoring.Subscribed));

        // While the board is away: two users deleted, three change state, one is new.
        _host.Pbx.Remove(users[0].Guid);
        _host.Pbx.Remove(users[1].Guid);
        _host.Pbx.SetLamp(users[2].Guid, registered: true, channel: 0, alert: 1);
        _host.Pbx.SetLamp(users[3].Guid, registered: true, channel: 1, alert: 0);
        _host.Pbx.SetLamp(users[4].Guid, registered: false, channel: 0, alert: 0);
        _host.Pbx.Upsert(new SimulatedUser("fedcba9876543210fedcba9876543210", "late", "Lena Spät", "150", "late", "root", "master", Registered: true, Channel: 0, Alert: 0));

        // Until the new list completes, the board shows the old users as last known.
        var stale = app.Directory.Current;
        Assert.True(stale.IsStale);
        Assert.Contains(stale.Users, u => u.Guid == users[0].Guid);

        var clock = Stopwatch.StartNew();
        _time.Advance(delay);
        var board = await app.Directory.WaitForLiveAsync(users: 39);
        output.WriteLine($"resync after the backoff: live again {clock.ElapsedMilliseconds} ms after the backoff ended (backoff was {delay.TotalMilliseconds:0} ms)");

        Assert.Equal(Truth(), board.Users.ToDictionary(u => u.Guid, u => u.Lamp.ToToken()));
        Assert.Equal(2, _host.Pbx.SuccessfulLogins);

        // The new connection monitors every user again, the newcomer included.
        await app.Directory.WaitForAsync(_ => app.Directory.Monitoring.Monitored == 39 && app.Directory.Monitoring.Subscribed == 39, "every user monitored again");
    }

    [Fact]
    public async Task A_refused_login_is_retried_on_the_backoff_never_in_a_tight_loop_and_heals()
    {
        _host.Pbx.Faults.Login = LoginFault.OkFalse;
        var app = _host.StartApp(time: _time);
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        using var loginFailures = new MetricCollector<long>(meters, BlfMetrics.MeterName, "blf.pbx.login_failures");
        using var reconnects = new MetricCollector<long>(meters, BlfMetrics.MeterName, "blf.pbx.reconnects");

        await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.AuthFailed, "auth-failed");
        var first = await _time.WaitForBackoffAsync();

        // The app now waits on the clock: no second attempt until time moves.
        Assert.Equal(1, _host.Pbx.FailedLogins);
        var failuresBefore = loginFailures.GetMeasurementSnapshot().EvaluateAsCounter();
        var reconnectsBefore = reconnects.GetMeasurementSnapshot().EvaluateAsCounter();
        Assert.InRange(first.TotalSeconds, 0.4, 0.6);

        _time.Advance(first);
        await _host.Pbx.WhenFailedLoginsAsync(n => n == 2, CancellationToken.None).WaitAsync(TestTimeouts.StateShown);
        var second = await _time.WaitForBackoffAsync();
        Assert.InRange(second.TotalSeconds, 0.8, 1.2);
        Assert.Equal(2, _host.Pbx.FailedLogins);
        Assert.Equal(failuresBefore + 1, loginFailures.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(reconnectsBefore + 1, reconnects.GetMeasurementSnapshot().EvaluateAsCounter());

        // The admin fixes the secret on the PBX side: the next attempt goes live.
        _host.Pbx.Faults.Login = LoginFault.None;
        _time.Advance(second);
        await app.Directory.WaitForLiveAsync(users: 40);

        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Text.Contains("refused the login", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("Check Pbx:App and Pbx:Secret", w.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_cut_connection_heals_after_the_shortest_backoff_and_resyncs()
    {
        var app = await _host.StartLiveAppAsync(time: _time);

        foreach (var user in new[] { _host.Pbx.Users[7], _host.Pbx.Users[8] })
        {
            _host.Pbx.DropConnections();
            await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.Reconnecting, "reconnecting");
            var backoff = await _time.WaitForBackoffAsync();

            // The login before the cut worked, so the wait starts from the shortest step again, not a longer one.
            Assert.InRange(backoff.TotalSeconds, 0.4, 0.6);
            _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
            _time.Advance(backoff);
            var board = await app.Directory.WaitForLiveAsync(users: 40);

            Assert.Equal(Truth(), board.Users.ToDictionary(u => u.Guid, u => u.Lamp.ToToken()));
        }

        Assert.Equal(3, _host.Pbx.SuccessfulLogins);
    }

    [Theory]
    [InlineData(LoginFault.OkFalse)]
    [InlineData(LoginFault.OmitOk)]
    [InlineData(LoginFault.CloseSocket)]
    public async Task Every_shape_of_refusal_reads_as_auth_failed(LoginFault fault)
    {
        _host.Pbx.Faults.Login = fault;
        var app = _host.StartApp(time: _time);

        var board = await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.AuthFailed, "auth-failed");

        Assert.Equal("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret", board.Status.Problem);
    }

    [Fact]
    public async Task A_silent_connection_is_found_dead_by_the_keep_alive_and_replaced()
    {
        await using var proxy = new LoopbackTcpProxy(_host.Simulator.WebSocketUrl);
        var app = await _host.StartLiveAppAsync(
            new Dictionary<string, string?>
            {
                ["Pbx:KeepAliveInterval"] = "00:00:01",
                ["Pbx:KeepAliveTimeout"] = "00:00:01",
            },
            time: _time,
            pbxUrl: proxy.Via(_host.Simulator.WebSocketUrl));

        // The WebSocket's own ping finds the path dead (the runtime times it, not the app's clock); the
        // app then waits out its backoff on the test's clock, so the next attempt meets the path restored.
        proxy.Freeze();
        await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.Reconnecting, "reconnecting after the path went silent");
        var backoff = await _time.WaitForBackoffAsync();
        proxy.Resume();
        _time.Advance(backoff);

        await app.Directory.WaitForLiveAsync(users: 40);
        Assert.Equal(2, _host.Pbx.SuccessfulLogins);
    }

    private Dictionary<string, string> Truth() => _host.Pbx.Users.ToDictionary(u => u.Guid, Lamps.Expected);
}
