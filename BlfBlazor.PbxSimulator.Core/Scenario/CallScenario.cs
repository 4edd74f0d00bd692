using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// How the office day is played: <paramref name="EventsPerSecond"/> steps a second (0 = none), the same
/// ones for the same <paramref name="Seed"/>, calls talked for about <paramref name="MeanTalkTime"/>, callers
/// reaching the waiting queues at <paramref name="QueueCallersPerMinute"/>.
/// </summary>
internal sealed record ScenarioSettings(double EventsPerSecond, int? Seed, TimeSpan MeanTalkTime, double QueueCallersPerMinute);

/// <summary>
/// Brings the board to life: it opens the office day (calls behind the busy lamps, a few forwardings) as the
/// host starts, then at EventsPerSecond plays one step of it (<see cref="CallScript"/>: calls, holds,
/// transfers, pickups, presence, forwarding). Does nothing when the rate is 0.
/// Steps on the PBX's own clock, so a test that gives the PBX a fake one decides when each step comes.
/// </summary>
internal sealed partial class CallScenario(
    SimulatedPbx pbx,
    ScenarioSettings settings,
    ILogger<CallScenario> logger) : BackgroundService
{
    private static readonly TimeSpan s_shortestInterval = TimeSpan.FromMilliseconds(1);

    // Set when the scenario plays (a rate above 0), as the host starts.
    private CallScript? _script;
    private TimeSpan _interval;

    /// <summary>Opens the day before the host is up (ExecuteAsync runs beside the start), so a board that connects finds it open.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.EventsPerSecond > 0)
        {
            _interval = TimeSpan.FromSeconds(1 / settings.EventsPerSecond);
            if (_interval < s_shortestInterval)
            {
                _interval = s_shortestInterval;
            }

            // Offset from the users' seed so the scenario does not replay the generator's numbers.
            var random = settings.Seed is { } seed ? new Random(unchecked(seed * 31 + 17)) : new Random();
            _script = new CallScript(pbx, random, 1 / _interval.TotalSeconds, settings.MeanTalkTime, settings.QueueCallersPerMinute);
            Run(_script.Open);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_script is not { } script)
        {
            Log.Disabled(logger);
            return;
        }

        using var timer = new PeriodicTimer(_interval, pbx.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Run(script.Step);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>Runs one step unless the scenario is paused; a step that fails is logged, and the day goes on.</summary>
    private void Run(Action step)
    {
        try
        {
            pbx.TryRunScenarioStep(step);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StepFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Call scenario disabled (EventsPerSecond is 0)")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(Level = LogLevel.Error, Message = "Call scenario step failed")]
        public static partial void StepFailed(ILogger logger, Exception exception);
    }
}
