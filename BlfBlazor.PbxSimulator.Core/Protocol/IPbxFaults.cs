namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// The seam through which a simulated PBX can be made to misbehave: its sessions ask it before they
/// read, answer, announce or send. The core only ever has <see cref="None"/>, a correct PBX; the fault
/// switches the tests use (BlfBlazor.PbxSimulator, Faults/) plug in here, so the demo PBX the app
/// hosts carries no fault code.
/// </summary>
internal interface IPbxFaults
{
    /// <summary>A PBX that behaves.</summary>
    static IPbxFaults None { get; } = new NoFaults();

    /// <summary>True while the PBX plays hung: answers and live updates are dropped, initial lists pause.</summary>
    bool IsStalled { get; }

    /// <summary>True when a frame the PBX just read must be discarded unprocessed (counted by the implementation).</summary>
    bool DiscardsReceivedFrame();

    /// <summary>Completes at once when not stalled, else when the stall ends.</summary>
    Task WhenResumedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when the next AppLogin is to be refused whatever its digest; <paramref name="answer"/> is then
    /// the frame to refuse it with, or null to close the WebSocket instead of answering.
    /// </summary>
    bool RefusesLogin(out byte[]? answer);

    private sealed class NoFaults : IPbxFaults
    {
        public bool IsStalled => false;

        public bool DiscardsReceivedFrame() => false;

        public Task WhenResumedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public bool RefusesLogin(out byte[]? answer)
        {
            answer = null;
            return false;
        }
    }
}
