using System.Net.WebSockets;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Pbx;

/// <summary>
/// The app's one connection to the PBX, however many boards are open: connects, logs in,
/// keeps the <see cref="UserDirectory"/> current, and reconnects with capped backoff for as long
/// as the app runs. Nothing that happens to the connection ever stops the host.
/// </summary>
internal sealed partial class PbxConnection(
    IPbxTargetSource targetSource,
    IOptions<PbxOptions> options,
    UserDirectory directory,
    BlfMetrics metrics,
    TimeProvider timeProvider,
    ILogger<PbxConnection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PbxTarget target;
        try
        {
            target = await targetSource.GetTargetAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var backoff = ReconnectBackoff.Default();
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            if (attempt > 0)
            {
                metrics.Reconnecting();
            }

            using var session = new PbxSession(target, options.Value, directory, metrics, timeProvider, logger);
            string problem;
            try
            {
                await session.RunAsync(stoppingToken);
                problem = "The PBX closed the connection.";
                directory.ReportConnectionLost(problem);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (PbxLoginRefusedException ex)
            {
                problem = $"The PBX refused the login of app '{target.App}': check Pbx:App and Pbx:Secret";
                Log.LoginRefused(logger, target.App, target.Url, ex.Message);
                metrics.LoginRefused();
                directory.ReportLoginRefused(problem);
            }
            catch (PbxCertificateException ex)
            {
                problem = ex.Message;
                Log.CertificateRefused(logger, target.Url, ex.Message);
                directory.ReportConnectionLost(problem);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                problem = $"No connection to the PBX: {ex.Message}";
                Log.ConnectionFailed(logger, target.Url, ex.Message);
                directory.ReportConnectionLost(problem);
            }
            catch (Exception ex)
            {
                // A bug must cost one connection, not the board.
                problem = "The connection to the PBX failed unexpectedly; see the log.";
                Log.ConnectionCrashed(logger, target.Url, ex);
                directory.ReportConnectionLost(problem);
            }

            if (session.LoggedIn)
            {
                backoff.Reset();
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

        [LoggerMessage(13, LogLevel.Information, "Reconnecting to the PBX in {DelaySeconds:0.0} s")]
        public static partial void Retrying(ILogger logger, double delaySeconds);
    }
}
