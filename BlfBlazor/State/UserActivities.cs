namespace BlfBlazor.State;

/// <summary>
/// Calls and presence per user, beside the user records, with the same honesty rules as lamps: each
/// carries the generation of the connection that reported it, and a resync drops the rest. Bounded:
/// at most <see cref="MaxCallsPerUser"/> legs a user, and legs the lamp says cannot exist are dropped.
/// </summary>
/// <remarks>Not thread-safe: the <see cref="UserDirectory"/> calls it under its lock.</remarks>
internal sealed class UserActivities(TimeProvider timeProvider)
{
    /// <summary>More legs than a phone can hold; a PBX that never ends its calls cannot grow memory past it.</summary>
    public const int MaxCallsPerUser = 8;

    // The order of UserInfo and CallInfo is not known: a leg reported this recently survives a lamp
    // that says "no call", which may describe the moment before it.
    private static readonly TimeSpan s_lampGrace = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, Activity> _users = new(StringComparer.Ordinal);

    /// <summary>The user's published calls and presence; null when the board knows none.</summary>
    public UserActivity? Current(string guid) => _users.TryGetValue(guid, out var activity) ? activity.Published : null;

    public void SetCall(string guid, uint handle, CallLeg? leg, int generation)
    {
        var activity = GetOrAdd(guid);
        var at = activity.Calls.FindIndex(c => c.Handle == handle);
        if (leg is null)
        {
            if (at < 0)
            {
                return;
            }

            activity.Calls.RemoveAt(at);
        }
        else
        {
            var call = new Call(handle, leg, generation, timeProvider.GetTimestamp());
            if (at >= 0)
            {
                activity.Calls[at] = call;
            }
            else
            {
                activity.Calls.Add(call);
                if (activity.Calls.Count > MaxCallsPerUser)
                {
                    activity.Calls.Remove(activity.Calls.MinBy(c => c.UpdatedAt));
                }
            }
        }

        Publish(guid, activity);
    }

    public void SetPresence(string guid, UserPresence? presence, int generation)
    {
        var activity = GetOrAdd(guid);
        activity.Presence = presence;
        activity.PresenceGeneration = generation;
        Publish(guid, activity);
    }

    /// <summary>
    /// A new record of the user: drops the legs its lamp rules out (no channel, nothing ringing) unless
    /// reported within the grace, and returns what the new record should carry.
    /// </summary>
    public UserActivity? OnLamp(in PbxUserInfo user, int generation)
    {
        if (!_users.TryGetValue(user.Guid, out var activity))
        {
            return null;
        }

        if (user.Channel == 0 && user.Alert == 0 && activity.Calls.Count > 0 && DropOutlived(activity.Calls))
        {
            Publish(user.Guid, activity);
        }

        return Current(user.Guid);
    }

    public void Forget(string guid) => _users.Remove(guid);

    /// <summary>Drops the legs reported longer ago than the grace; true when any went.</summary>
    private bool DropOutlived(List<Call> calls)
    {
        // A loop, not RemoveAll with a lambda: this runs for every lamp change, and a closure would
        // cost each of them an allocation.
        var now = timeProvider.GetTimestamp();
        var kept = 0;
        for (var i = 0; i < calls.Count; i++)
        {
            if (timeProvider.GetElapsedTime(calls[i].UpdatedAt, now) <= s_lampGrace)
            {
                calls[kept++] = calls[i];
            }
        }

        var dropped = calls.Count - kept;
        calls.RemoveRange(kept, dropped);
        return dropped > 0;
    }

    /// <summary>Drops what connections before <paramref name="generation"/> reported; returns whose activity changed.</summary>
    public List<string> DropOlderThan(int generation)
    {
        var changed = new List<string>();
        foreach (var (guid, activity) in _users)
        {
            var dropped = activity.Calls.RemoveAll(c => c.Generation != generation) > 0;
            if (activity.Presence is not null && activity.PresenceGeneration != generation)
            {
                activity.Presence = null;
                dropped = true;
            }

            if (dropped)
            {
                changed.Add(guid);
            }
        }

        foreach (var guid in changed)
        {
            Publish(guid, _users[guid]);
        }

        return changed;
    }

    private Activity GetOrAdd(string guid)
    {
        if (!_users.TryGetValue(guid, out var activity))
        {
            _users[guid] = activity = new Activity();
        }

        return activity;
    }

    private void Publish(string guid, Activity activity)
    {
        if (activity.Calls.Count == 0 && activity.Presence is null)
        {
            _users.Remove(guid);
            activity.Published = null;
            return;
        }

        CallLeg[] calls = [.. activity.Calls.Select(c => c.Leg).OrderBy(l => l.Phase).ThenBy(l => l.SinceUnixMs)];
        activity.Published = new UserActivity(calls, activity.Presence);
    }

    private readonly record struct Call(uint Handle, CallLeg Leg, int Generation, long UpdatedAt);

    private sealed class Activity
    {
        public List<Call> Calls { get; } = [];

        public UserPresence? Presence { get; set; }

        public int PresenceGeneration { get; set; }

        public UserActivity? Published { get; set; }
    }
}
