namespace BlfBlazor.State;

/// <summary>
/// Phones the board itself asked to dial (a call from the dial box, a call back, an announced transfer),
/// for a short while. With a phone that is not innovaphone's the PBX rings it first (CALLS.md §4.2), and
/// that ring is the person's own call starting, never a missed call (PBXAPIS.md §6.1). Whether the ring
/// has the request's handle is unknown (on the board's own handle of that user it may not), so the first
/// new leg at that user within <see cref="Window"/> after the request counts as the dial, whatever its handle.
/// </summary>
internal sealed class OwnDials(TimeProvider timeProvider)
{
    /// <summary>How long after a request a ring at the dialling phone is taken for its first ring.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>Phones remembered at once; older entries past the window make room.</summary>
    public const int MaxPhones = 1_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _lastDialUnixMs = new(StringComparer.Ordinal);

    // Read without the lock by the PBX loop for every new leg: almost always no dial is waiting.
    private volatile int _waiting;

    /// <summary>The board is about to ask the PBX to dial from this user's phone.</summary>
    public void Dialling(string userGuid)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (_lastDialUnixMs.Count >= MaxPhones && !_lastDialUnixMs.ContainsKey(userGuid))
            {
                foreach (var (guid, at) in _lastDialUnixMs.Where(dial => now - dial.Value > Window.TotalMilliseconds).ToList())
                {
                    _lastDialUnixMs.Remove(guid);
                }

                if (_lastDialUnixMs.Count >= MaxPhones)
                {
                    return;
                }
            }

            _lastDialUnixMs[userGuid] = now;
            _waiting = _lastDialUnixMs.Count;
        }
    }

    /// <summary>
    /// The user's phone shows a new leg: true, once, when it is the first since the board asked that phone
    /// to dial (within <see cref="Window"/>). That leg is the dial itself, ringing first or dialling out, so
    /// a caller's ring after it is theirs to miss.
    /// </summary>
    public bool TakeFirstLeg(string userGuid)
    {
        if (_waiting == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_lastDialUnixMs.Remove(userGuid, out var at))
            {
                return false;
            }

            _waiting = _lastDialUnixMs.Count;
            var since = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - at;
            return since >= 0 && since <= Window.TotalMilliseconds;
        }
    }
}
