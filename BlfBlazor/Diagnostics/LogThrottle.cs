namespace BlfBlazor.Diagnostics;

/// <summary>
/// Lets one log line through per interval and counts the rest, so a flood of bad input costs the
/// log one line per interval that says how many it stands for.
/// </summary>
/// <remarks>Not thread-safe: each user (one PBX session) calls it from one loop.</remarks>
internal sealed class LogThrottle(TimeProvider timeProvider, TimeSpan interval)
{
    private long _lastLogged = long.MinValue;
    private int _suppressed;

    /// <summary>
    /// True when this occurrence should be logged, with how many were suppressed since the last
    /// logged one; false when it is only counted.
    /// </summary>
    public bool ShouldLog(out int suppressedBefore)
    {
        var now = timeProvider.GetTimestamp();
        if (_lastLogged != long.MinValue && timeProvider.GetElapsedTime(_lastLogged, now) < interval)
        {
            _suppressed++;
            suppressedBefore = 0;
            return false;
        }

        suppressedBefore = _suppressed;
        _lastLogged = now;
        _suppressed = 0;
        return true;
    }
}
