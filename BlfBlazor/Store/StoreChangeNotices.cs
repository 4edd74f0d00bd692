namespace BlfBlazor.Store;

/// <summary>
/// The notice by which instances on one PostgreSQL store tell each other that a shared part changed:
/// <c>NOTIFY blf_store, '&lt;part&gt;:&lt;instance&gt;'</c>. The instance id is random per app (not per
/// process: the tests run two apps in one), so the logs and <c>pg_stat_activity</c> say which instance is which.
/// </summary>
internal sealed class StoreChangeNotices
{
    public const string Channel = "blf_store";

    /// <summary>This app's id among the instances, as it appears in its notices.</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The notice that <paramref name="part"/> changed here.</summary>
    public string PayloadOf(string part) => $"{part}:{Instance}";

    /// <summary>The part and the sending instance, or false when the payload is not a notice of ours.</summary>
    public static bool TryRead(string payload, out string part, out string instance)
    {
        var colon = payload.LastIndexOf(':');
        part = colon > 0 ? payload[..colon] : "";
        instance = colon > 0 ? payload[(colon + 1)..] : "";
        return part.Length > 0 && instance.Length > 0;
    }
}
