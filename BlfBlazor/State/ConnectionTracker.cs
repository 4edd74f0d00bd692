namespace BlfBlazor.State;

/// <summary>
/// The PBX connection's status as the board shows it: connecting until the first initial list is
/// complete, live while a connection's list is current, reconnecting once it was live and is lost,
/// and auth-failed when the PBX refuses the login, which stays the headline until a login succeeds.
/// </summary>
/// <remarks>Not thread-safe: the <see cref="UserDirectory"/> calls it under its lock.</remarks>
internal sealed class ConnectionTracker(TimeProvider timeProvider, PbxDescription pbx)
{
    private bool _everLive;
    private string? _nextStandby;

    public ConnectionStatus Status { get; private set; } =
        new(ConnectionState.Connecting, timeProvider.GetUtcNow(), null, pbx.Name, pbx.IsDemo);

    /// <summary>A login succeeded: the initial list is on its way. Returns true when the status changed.</summary>
    public bool LoggedIn()
    {
        var onStandby = _nextStandby is not null;
        var name = _nextStandby ?? pbx.Name;
        var switched = Status.Pbx != name || Status.OnStandby != onStandby;
        Status = Status with { Pbx = name, OnStandby = onStandby };
        return Set(NotLive, problem: null) || switched;
    }

    /// <summary>The next login goes to the standby PBX of this name, or (null) to the configured one.</summary>
    public void NextLoginTo(string? standby) => _nextStandby = standby;

    /// <summary>The initial list is complete: the lamps are current.</summary>
    public bool Live()
    {
        _everLive = true;
        return Set(ConnectionState.Live, problem: null);
    }

    /// <summary>The connection is gone or never came up; the board shows last-known lamps.</summary>
    public bool Lost(string? problem) =>

        // A later network error must not hide that the credentials are wrong.
        Status.State != ConnectionState.AuthFailed && Set(NotLive, problem);

    /// <summary>The PBX refused the login.</summary>
    public bool LoginRefused(string problem) => Set(ConnectionState.AuthFailed, problem);

    private ConnectionState NotLive => _everLive ? ConnectionState.Reconnecting : ConnectionState.Connecting;

    private bool Set(ConnectionState state, string? problem)
    {
        if (Status.State == state && Status.Problem == problem)
        {
            return false;
        }

        var since = Status.State == state ? Status.Since : timeProvider.GetUtcNow();
        Status = Status with { State = state, Since = since, Problem = problem };
        return true;
    }
}
