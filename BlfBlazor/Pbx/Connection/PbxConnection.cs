using System.Net.WebSockets;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

using BlfBlazor.Pbx.Rcc;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// The app's one connection to the PBX, however many boards are open: connects, logs in,
/// keeps the state current through the <see cref="IPbxStateWriter"/>, and reconnects with capped backoff for as long
/// as the app runs. Nothing that happens to the connection ever stops the host.
/// </summary>
internal sealed partial class PbxConnection(
    IPbxTargetSource targetSource,
    IOptions<PbxOptions> options,
    IPbxStateWriter state,
    IOptions<PrivacyOptions> privacy,
    BlfMetrics metrics,
    IEnumerable<IRccCallControl> callControls,
    PbxDescription pbx,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<PbxConnection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Development may talk to a PBX on the desk and the demo to its own loopback simulator; anywhere
        // else plain ws:// hands names, numbers and the login's digest to the network: say so once, at start.
        if (pbx.Unencrypted && !pbx.IsDemo && !environment.IsDevelopment())
        {
            Log.Unencrypted(logger, pbx.Name);
        }

        var backoff = ReconnectBackoff.Default();
        PbxTarget? target = null;
        var standby = targetSource.Standby;
        var onStandby = false;
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                target ??= await GetTargetAsync(stoppingToken);
                if (target is not null)
                {
                    if (attempt > 0)
                    {
                        metrics.Reconnecting();
                    }

                    var current = onStandby ? standby! : target;
                    state.NextLoginTo(onStandby ? current.Url.Host : null);
                    if (await RunSessionAsync(current, stoppingToken))
                    {
                        backoff.Reset();
                    }

                    // Whether it never answered or dropped after hours, the next attempt goes to the
                    // other PBX: a connected one is kept until it is lost, never given up for the master.
                    onStandby = standby is not null && !onStandby;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var delay = backoff.Next();
            Log.Retrying(logger, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Where to connect; null when that cannot be known yet (the demo PBX failed to start), which is
    /// shown on the board like any other PBX problem and tried again, never a reason to stop the host.
    /// </summary>
    private async Task<PbxTarget?> GetTargetAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await targetSource.GetTargetAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.TargetFailed(logger, ex);
            state.ConnectionLost($"The PBX could not be reached: {ex.Message}");
            return null;
        }
    }

    /// <summary>One connection, from connect to loss; true when the PBX accepted the login.</summary>
    private async Task<bool> RunSessionAsync(PbxTarget target, CancellationToken stoppingToken)
    {
        using var session = new PbxSession(
            target,
            options.Value,
            (send, span) => new PbxDispatcher(options.Value, privacy.Value, state, callControls, send, timeProvider, logger, span),
            metrics,
            timeProvider,
            logger);
        try
        {
            await session.RunAsync(stoppingToken);
            state.ConnectionLost("The PBX closed the connection.");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PbxLoginRefusedException ex)
        {
            Log.LoginRefused(logger, target.App, target.Url, ex.Message);
            metrics.LoginRefused();
            state.LoginRefused($"The PBX refused the login of app '{target.App}': check Pbx:App and Pbx:Secret");
        }
        catch (PbxCertificateException ex)
        {
            Log.CertificateRefused(logger, target.Url, ex.Message);
            state.ConnectionLost(ex.Message);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            Log.ConnectionFailed(logger, target.Url, ex.Message);
            state.ConnectionLost($"No connection to the PBX: {ex.Message}");
        }
        catch (Exception ex)
        {
            // A bug must cost one connection, not the board.
            Log.ConnectionCrashed(logger, target.Url, ex);
            state.ConnectionLost("The connection to the PBX failed unexpectedly; see the log.");
        }

        return session.LoggedIn;
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "The PBX at {Url} refused the login of app '{App}': {Reason}. Check Pbx:App and Pbx:Secret")]
        public static partial void LoginRefused(ILogger logger, string app, Uri url, string reason);

        [LoggerMessage(11, LogLevel.Warning, "Lost or could not reach the PBX at {Url}: {Reason}")]
        public static partial void ConnectionFailed(ILogger logger, Uri url, string reason);

        [LoggerMessage(12, LogLevel.Error, "The connection to the PBX at {Url} failed unexpectedly")]
        public static partial void ConnectionCrashed(ILogger logger, Uri url, Exception exception);

        [LoggerMessage(14, LogLevel.Warning, "Refused the TLS certificate of the PBX at {Url}: {Reason}")]
        public static partial void CertificateRefused(ILogger logger, Uri url, string reason);

        [LoggerMessage(15, LogLevel.Error, "Could not set up the PBX to connect to; the board shows the problem and it is tried again")]
        public static partial void TargetFailed(ILogger logger, Exception exception);

        [LoggerMessage(16, LogLevel.Warning, "The PBX link to {Pbx} is ws:// (unencrypted): names, numbers and the login go over the network in clear. Use wss:// in Pbx:Url and Pbx:StandbyUrl")]
        public static partial void Unencrypted(ILogger logger, string pbx);

        [LoggerMessage(13, LogLevel.Information, "Reconnecting to the PBX in {DelaySeconds:0.0} s")]
        public static partial void Retrying(ILogger logger, double delaySeconds);
    }
}
