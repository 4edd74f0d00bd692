using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.PbxSimulator.Faults;

/// <summary>
/// Switches that make the simulated PBX misbehave; thread-safe, read on every event. A PBX gets
/// them the first time they are asked for (<see cref="SimulatorFaultInjection"/>).
/// </summary>
/// <remarks>
/// While <see cref="Stall"/> is true the PBX looks hung:
/// <list type="bullet">
/// <item>frames from clients are read and discarded (they are not processed later);</item>
/// <item>answers and live updates produced meanwhile are dropped, so after a resume a client may
/// hold stale state for the users that changed during the stall (until their next change);</item>
/// <item>an initial list in progress pauses and continues where it stopped;</item>
/// <item>frames already queued when the stall began, and frames injected with SendRawAsync,
/// SendBinaryAsync or SendMalformedFramesAsync, are held and sent after the resume;</item>
/// <item>close frames (host shutdown, <see cref="LoginFault.CloseSocket"/>) are not held.</item>
/// </list>
/// </remarks>
public sealed class SimulatorFaults : IPbxFaults
{
    private readonly Lock _gate = new();
    private LoginFault _login;
    private bool _stall;
    private TaskCompletionSource _resumed = NewResumeSignal();

    public LoginFault Login
    {
        get { lock (_gate) { return _login; } }
        set { lock (_gate) { _login = value; } }
    }

    public bool Stall
    {
        get { lock (_gate) { return _stall; } }
        set
        {
            TaskCompletionSource? resumed = null;
            lock (_gate)
            {
                if (_stall == value)
                {
                    return;
                }

                _stall = value;
                if (value)
                {
                    _resumed = NewResumeSignal();
                }
                else
                {
                    resumed = _resumed;
                }
            }

            resumed?.TrySetResult();
        }
    }

    /// <summary>Frames clients sent while the PBX was stalled, all ignored (lets tests know a frame was read).</summary>
    internal WatchedCount FramesIgnoredWhileStalled { get; } = new();

    bool IPbxFaults.IsStalled => Stall;

    bool IPbxFaults.DiscardsReceivedFrame()
    {
        if (!Stall)
        {
            return false;
        }

        FramesIgnoredWhileStalled.Add(1);
        return true;
    }

    bool IPbxFaults.RefusesLogin(out byte[]? answer)
    {
        var fault = Login;
        answer = fault switch
        {
            LoginFault.OkFalse => PbxMessages.LoginRefused(),
            LoginFault.OmitOk => """{"mt":"AppLoginResult"}"""u8.ToArray(),
            _ => null, // None: not refused; CloseSocket: no answer at all
        };
        return fault != LoginFault.None;
    }

    /// <summary>Completes at once when not stalled, else when <see cref="Stall"/> goes back to false.</summary>
    Task IPbxFaults.WhenResumedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stall ? _resumed.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
        }
    }

    private static TaskCompletionSource NewResumeSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
