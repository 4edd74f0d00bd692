using System.Net.WebSockets;
using System.Text;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.PbxSimulator.Faults;

/// <summary>
/// What tests (and the benchmark) do to a simulated PBX beyond what a PBX does by itself: fault
/// switches, cut connections and frames no PBX would send. Extensions, so the core the app hosts
/// has none of it.
/// </summary>
public static partial class SimulatorFaultInjection
{
    extension(SimulatedPbx pbx)
    {
        /// <summary>
        /// The PBX's fault switches. The first access installs them; from then on the PBX consults
        /// them on every event (until then it has nothing to consult: it behaves).
        /// </summary>
        public SimulatorFaults Faults =>
            PbxSessions.Of(pbx).Faults as SimulatorFaults ?? (SimulatorFaults)PbxSessions.Of(pbx).InstallFaults(new SimulatorFaults());

        /// <summary>Aborts every open session at once, like a cut network cable (no close handshake).</summary>
        public void DropConnections()
        {
            var sessions = PbxSessions.Of(pbx).Snapshot(loggedInOnly: false);
            Log.DroppingConnections(pbx.Logger, sessions.Count);
            foreach (var session in sessions)
            {
                session.Abort();
            }
        }

        /// <summary>
        /// Sends this exact text frame to every logged-in session; completes when each has sent it (or ended).
        /// While the PBX is stalled the frame is held, so the task completes only after the resume.
        /// </summary>
        public Task SendRawAsync(string text, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(text);
            return InjectAsync(pbx, Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, ct);
        }

        /// <summary>Sends a binary frame to every logged-in session; completes when each has sent it (or ended).</summary>
        public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
            InjectAsync(pbx, data.ToArray(), WebSocketMessageType.Binary, ct);

        /// <summary>
        /// Sends <paramref name="count"/> generated malformed frames (see <see cref="MalformedFrameKind"/>)
        /// to every logged-in session, deterministically for <paramref name="seed"/> and the users' current
        /// state; a session with an RCC subscription gets its src echoed where a UserInfo would carry it.
        /// The frames are generated and queued under the PBX lock, back to back and in order with the
        /// session's other frames: a change made before the call is sent before them, one made after the
        /// call after them, and none in between. Like <see cref="SendRawAsync"/> they are held, not dropped,
        /// while the PBX is stalled. Completes when every session has sent them all (or ended).
        /// </summary>
        /// <returns>How many frames of each kind every session was sent (every kind listed, 0 included).</returns>
        /// <remarks>Memory: a HugeString frame is up to 100 kB and an Oversized one 1.2 MiB, per distinct src; keep counts modest.</remarks>
        public Task<IReadOnlyDictionary<MalformedFrameKind, int>> SendMalformedFramesAsync(int count, int seed, CancellationToken ct = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            var plan = MalformedFrames.Plan(count, seed);
            // The frames depend on the src; sessions sharing one share the frames.
            var sent = PbxSessions.Of(pbx).QueueToLoggedInSessions((users, src) =>
                [.. MalformedFrames.Generate(plan, seed, users, src).Select(frame => new OutboundFrame(frame.Payload, frame.Type))]);
            Log.SentMalformedFrames(pbx.Logger, count, seed, sent.Count);
            return WhenSentAsync(sent, MalformedFrames.CountKinds(plan).AsReadOnly(), ct);
        }
    }

    private static async Task InjectAsync(SimulatedPbx pbx, byte[] payload, WebSocketMessageType type, CancellationToken ct)
    {
        var sent = PbxSessions.Of(pbx).Snapshot(loggedInOnly: true).Select(session => session.QueueInjected(payload, type));
        await Task.WhenAll(sent).WaitAsync(ct);
    }

    private static async Task<IReadOnlyDictionary<MalformedFrameKind, int>> WhenSentAsync(
        List<Task> sent, IReadOnlyDictionary<MalformedFrameKind, int> counts, CancellationToken ct)
    {
        await Task.WhenAll(sent).WaitAsync(ct);
        return counts;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Dropping {Count} open connections")]
        public static partial void DroppingConnections(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "Sending {Count} malformed frames (seed {Seed}) to {Sessions} logged-in sessions")]
        public static partial void SentMalformedFrames(ILogger logger, int count, int seed, int sessions);
    }
}
