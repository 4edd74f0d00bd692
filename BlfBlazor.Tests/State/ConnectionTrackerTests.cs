using BlfBlazor.State;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.State;

/// <summary>The connection status the board and /healthz show, step by step.</summary>
[Trait("Category", "Unit")]
public class ConnectionTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly ConnectionTracker _tracker;

    public ConnectionTrackerTests() => _tracker = new ConnectionTracker(_time, new PbxDescription("pbx.test", IsDemo: false));

    [Fact]
    public void Connecting_until_the_first_list_is_complete_then_live_then_reconnecting()
    {
        Assert.Equal(ConnectionState.Connecting, _tracker.Status.State);
        Assert.True(_tracker.Lost("No connection to the PBX: refused"));
        Assert.Equal(ConnectionState.Connecting, _tracker.Status.State);
        Assert.Equal("No connection to the PBX: refused", _tracker.Status.Problem);

        _tracker.LoggedIn();
        Assert.Equal(ConnectionState.Connecting, _tracker.Status.State);
        Assert.Null(_tracker.Status.Problem);

        _tracker.Live();
        Assert.Equal(ConnectionState.Live, _tracker.Status.State);

        _tracker.Lost("The PBX closed the connection.");
        Assert.Equal(ConnectionState.Reconnecting, _tracker.Status.State);

        // Logged in again, but the new list is not complete: still not live.
        _tracker.LoggedIn();
        Assert.Equal(ConnectionState.Reconnecting, _tracker.Status.State);
        _tracker.Live();
        Assert.Equal(ConnectionState.Live, _tracker.Status.State);
    }

    [Fact]
    public void The_status_names_the_standby_from_its_login_on_not_from_the_attempt()
    {
        _tracker.LoggedIn();
        _tracker.Live();
        _tracker.Lost("The PBX closed the connection.");

        // Trying the standby: the board still shows the master's last known list, and says so.
        _tracker.NextLoginTo("standby.test");
        Assert.Equal(("pbx.test", false), (_tracker.Status.Pbx, _tracker.Status.OnStandby));

        Assert.True(_tracker.LoggedIn());
        _tracker.Live();
        Assert.Equal((ConnectionState.Live, "standby.test", true), (_tracker.Status.State, _tracker.Status.Pbx, _tracker.Status.OnStandby));

        // Back to the master once the standby drops.
        _tracker.Lost("The PBX closed the connection.");
        _tracker.NextLoginTo(null);
        Assert.True(_tracker.LoggedIn());
        Assert.Equal(("pbx.test", false), (_tracker.Status.Pbx, _tracker.Status.OnStandby));
    }

    [Fact]
    public void A_refused_login_stays_the_headline_until_a_login_succeeds()
    {
        _tracker.LoginRefused("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret");

        Assert.False(_tracker.Lost("No connection to the PBX: refused"));
        Assert.Equal(ConnectionState.AuthFailed, _tracker.Status.State);
        Assert.Contains("Pbx:Secret", _tracker.Status.Problem, StringComparison.Ordinal);

        _tracker.LoggedIn();
        Assert.Equal(ConnectionState.Connecting, _tracker.Status.State);
        Assert.Null(_tracker.Status.Problem);
    }

    [Fact]
    public void Since_is_when_the_state_began_not_when_its_problem_text_changed()
    {
        _tracker.LoggedIn();
        _tracker.Live();
        _time.Advance(TimeSpan.FromMinutes(3));
        _tracker.Lost("first problem");
        var lostAt = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(_tracker.Lost("second problem"));

        Assert.Equal(lostAt, _tracker.Status.Since);
        Assert.Equal("second problem", _tracker.Status.Problem);
    }

    [Fact]
    public void Reporting_the_same_state_and_problem_again_is_no_change()
    {
        _tracker.Lost("gone");
        Assert.False(_tracker.Lost("gone"));
        Assert.True(_tracker.LoggedIn());
        Assert.False(_tracker.LoggedIn());
    }
}
