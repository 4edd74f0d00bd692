using Microsoft.Extensions.Options;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Hosting;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// Brings the board to life: at EventsPerSecond it picks a user and moves its lamp along a
/// plausible transition (see <see cref="LampTransitions"/>). Does nothing when the rate is 0.
/// </summary>
internal sealed partial class CallScenario(
    SimulatedPbx pbx,
    IOptions<SimulatorOptions> options,
    TimeProvider timeProvider,
    ILogger<CallScenario> logger) : BackgroundService
{
    // Picks of users that stay as they are are retried, so (almost) every tick changes a lamp.
    private const int PicksPerEvent = 20;
    private static readonly TimeSpan s_shortestInterval = TimeSpan.FromMilliseconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.EventsPerSecond <= 0)
        {
            Log.Disabled(logger);
            return;
        }

        var interval = TimeSpan.FromSeconds(1 / settings.EventsPerSecond);
        if (interval < s_shortestInterval)
        {
            interval = s_shortestInterval;
        }

        // Offset from the users' seed so the scenario does not replay the generator's numbers.
        var random = settings.Seed is { } seed ? new Random(unchecked(seed * 31 + 17)) : new Random();
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Step(random);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.StepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private void Step(Random random)
    {
        var users = pbx.Users;
        if (users.Count == 0)
        {
            return;
        }

        for (var pick = 0; pick < PicksPerEvent; pick++)
        {
            var guid = users[random.Next(users.Count)].Guid;
            if (pbx.TryChange(guid, user => LampTransitions.Next(user, random), out var changed))
            {
                Log.Moved(logger, changed!.E164, changed.Registered, changed.Channel, changed.Alert);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Call scenario disabled (EventsPerSecond is 0)")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(Level = LogLevel.Debug, Message = "User {E164} now registered={Registered} channel={Channel} alert={Alert}")]
        public static partial void Moved(ILogger logger, string e164, bool registered, int channel, int alert);

        [LoggerMessage(Level = LogLevel.Error, Message = "Call scenario step failed")]
        public static partial void StepFailed(ILogger logger, Exception exception);
    }
}
