using System.Runtime.CompilerServices;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// The protocol's side of one simulated PBX: its open sessions and the faults they consult. Kept
/// beside the model rather than in it (attached to the <see cref="SimulatedPbx"/> instance), so the
/// model knows nothing of sessions while the fault switches still reach them through the PBX alone.
/// </summary>
internal sealed class PbxSessions
{
    private static readonly ConditionalWeakTable<SimulatedPbx, PbxSessions> s_ofPbx = new();

    private readonly SimulatedPbx _pbx;
    private readonly Lock _gate = new(); // taken inside the PBX lock, never around it
    private readonly HashSet<AppWebsocketSession> _sessions = [];
    private IPbxFaults _faults = IPbxFaults.None;

    private PbxSessions(SimulatedPbx pbx)
    {
        _pbx = pbx;
    }

    /// <summary>How the PBX misbehaves: not at all, unless faults were installed (see <see cref="InstallFaults"/>).</summary>
    public IPbxFaults Faults => Volatile.Read(ref _faults);

    /// <summary>The sessions and faults of <paramref name="pbx"/>, made on first use.</summary>
    public static PbxSessions Of(SimulatedPbx pbx)
    {
        ArgumentNullException.ThrowIfNull(pbx);
        return s_ofPbx.GetValue(pbx, static owner => new PbxSessions(owner));
    }

    /// <summary>
    /// Makes the sessions consult <paramref name="faults"/> from now on, unless other faults were installed
    /// first; returns the ones in force. Installed once and for good, so no session sees two.
    /// </summary>
    public IPbxFaults InstallFaults(IPbxFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var before = Interlocked.CompareExchange(ref _faults, faults, IPbxFaults.None);
        return ReferenceEquals(before, IPbxFaults.None) ? faults : before;
    }

    public void Add(AppWebsocketSession session)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }
    }

    /// <summary>False when the session was not (or no longer) here.</summary>
    public bool Remove(AppWebsocketSession session)
    {
        lock (_gate)
        {
            return _sessions.Remove(session);
        }
    }

    /// <summary>The open sessions (or only the logged-in ones) at this moment.</summary>
    public List<AppWebsocketSession> Snapshot(bool loggedInOnly)
    {
        lock (_gate)
        {
            return [.. _sessions.Where(session => !loggedInOnly || session.IsLoggedIn)];
        }
    }

    /// <summary>
    /// Queues frames to every logged-in session under the PBX lock, back to back and in order with the
    /// session's other frames: a change made before the call is sent before them, one made after it
    /// after them. <paramref name="framesFor"/> builds them from the users' current state and a session's
    /// RCC src, once per distinct src. Returns per session a task that completes once it sent them (or ended).
    /// </summary>
    public List<Task> QueueToLoggedInSessions(Func<IReadOnlyList<SimulatedUser>, JsonElement?, IReadOnlyList<OutboundFrame>> framesFor)
    {
        ArgumentNullException.ThrowIfNull(framesFor);
        return _pbx.Atomically(() =>
        {
            var sent = new List<Task>();
            var users = _pbx.Users;
            var batches = new Dictionary<string, IReadOnlyList<OutboundFrame>>(StringComparer.Ordinal);
            foreach (var session in Snapshot(loggedInOnly: true))
            {
                var src = session.Subscription?.Src;
                var key = src?.GetRawText() ?? "";
                if (!batches.TryGetValue(key, out var batch))
                {
                    batch = framesFor(users, src);
                    batches.Add(key, batch);
                }

                sent.Add(session.QueueBatch(batch));
            }

            return sent;
        });
    }
}
