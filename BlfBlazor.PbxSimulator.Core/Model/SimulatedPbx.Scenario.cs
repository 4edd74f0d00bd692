namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// Holding the scenario still: a test that compares a board with <see cref="Truth"/> pauses it, so
/// the truth stays put while the board catches up. The PBX's own timers go on: a call ringing at a user
/// with a no-answer forwarding still moves on when its time is up (on a fake clock only when the test moves it).
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Lock _scenarioGate = new();
    private bool _scenarioPaused;

    /// <summary>Stops the scenario between two steps: once this returns, no step runs until <see cref="ResumeScenario"/>.</summary>
    public void PauseScenario()
    {
        lock (_scenarioGate)
        {
            _scenarioPaused = true;
        }
    }

    public void ResumeScenario()
    {
        lock (_scenarioGate)
        {
            _scenarioPaused = false;
        }
    }

    /// <summary>Runs one scenario step unless paused; false when paused (the step did not run).</summary>
    internal bool TryRunScenarioStep(Action step)
    {
        lock (_scenarioGate)
        {
            if (_scenarioPaused)
            {
                return false;
            }

            step();
            return true;
        }
    }
}
