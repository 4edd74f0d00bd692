using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>A UserInitialize a session made: its handle, the user, and the src every CallInfo for it carries.</summary>
internal sealed record UserMonitor(int Handle, string Guid, JsonElement? Src, long FirstLegSerial);

/// <summary>A SubscribePresence a session made; <see cref="Guid"/> null for a sip the PBX does not know.</summary>
internal sealed record PresenceWatch(string Key, string? Guid, string Sip, JsonElement? Src);

/// <summary>
/// What one connection watches beyond the user list: user monitors (by handle and by user) and
/// presence subscriptions (by src). Handles and subscriptions belong to the connection and die with
/// it (CALLS.md §1.2). Only touched under the PBX lock.
/// </summary>
internal sealed class SessionWatches
{
    private readonly Dictionary<int, UserMonitor> _monitorsByHandle = [];
    private readonly Dictionary<string, List<UserMonitor>> _monitorsByGuid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PresenceWatch> _presenceByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PresenceWatch>> _presenceByGuid = new(StringComparer.Ordinal);
    private int _lastHandle;

    public UserMonitor AddMonitor(string guid, JsonElement? src, long firstLegSerial)
    {
        var monitor = new UserMonitor(++_lastHandle, guid, src, firstLegSerial);
        _monitorsByHandle.Add(monitor.Handle, monitor);
        Add(_monitorsByGuid, guid, monitor);
        return monitor;
    }

    public bool RemoveMonitor(int handle)
    {
        if (!_monitorsByHandle.Remove(handle, out var monitor))
        {
            return false;
        }

        Remove(_monitorsByGuid, monitor.Guid, monitor);
        return true;
    }

    /// <summary>The monitor behind a <c>user</c> handle this connection was given; null for any other number.</summary>
    public UserMonitor? MonitorOf(int handle) => _monitorsByHandle.GetValueOrDefault(handle);

    public IReadOnlyList<UserMonitor> MonitorsOf(string guid) =>
        _monitorsByGuid.TryGetValue(guid, out var monitors) ? monitors : [];

    /// <summary>Adds or replaces the subscription with this key (the src as sent, else the sip).</summary>
    public void AddPresence(PresenceWatch watch)
    {
        RemovePresence(watch.Key);
        _presenceByKey.Add(watch.Key, watch);
        if (watch.Guid is { } guid)
        {
            Add(_presenceByGuid, guid, watch);
        }
    }

    public bool RemovePresence(string key)
    {
        if (!_presenceByKey.Remove(key, out var watch))
        {
            return false;
        }

        if (watch.Guid is { } guid)
        {
            Remove(_presenceByGuid, guid, watch);
        }

        return true;
    }

    /// <summary>The key of the subscription for this sip, for an UnsubscribePresence that sent no src.</summary>
    public string? PresenceKeyOfSip(string sip) =>
        _presenceByKey.Values.FirstOrDefault(watch => string.Equals(watch.Sip, sip, StringComparison.Ordinal))?.Key;

    public IReadOnlyList<PresenceWatch> PresenceOf(string guid) =>
        _presenceByGuid.TryGetValue(guid, out var watches) ? watches : [];

    public int PresenceCount => _presenceByKey.Count;

    private static void Add<T>(Dictionary<string, List<T>> index, string guid, T item)
    {
        if (!index.TryGetValue(guid, out var items))
        {
            items = [];
            index.Add(guid, items);
        }

        items.Add(item);
    }

    private static void Remove<T>(Dictionary<string, List<T>> index, string guid, T item)
    {
        if (index.TryGetValue(guid, out var items) && items.Remove(item) && items.Count == 0)
        {
            index.Remove(guid);
        }
    }
}
