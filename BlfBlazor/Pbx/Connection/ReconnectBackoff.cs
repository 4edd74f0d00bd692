namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// Capped exponential backoff with jitter, so a PBX that restarts is not hammered by every
/// board at the same instant, and a refused login never turns into a tight loop.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan maximum, Random random)
{
    private int _attempt;

    public static ReconnectBackoff Default() => new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), Random.Shared);

    /// <summary>The delay before the next attempt: doubles per failure up to the cap, ±20 % jitter.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var baseDelay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), maximum.TotalMilliseconds);
        var jittered = baseDelay * (0.8 + (0.4 * random.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maximum.TotalMilliseconds));
    }

    /// <summary>After a successful login the next failure starts from the short delay again.</summary>
    public void Reset() => _attempt = 0;
}
