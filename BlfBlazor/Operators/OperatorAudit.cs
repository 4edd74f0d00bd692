using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>Where an action came from: the board's circuit and the browser's address, as far as the board knows them.</summary>
/// <param name="Circuit">The Blazor circuit's id; null when the board did not say.</param>
/// <param name="RemoteAddress">The browser's address as the app saw it (behind a proxy: the forwarded one); null when unknown.</param>
public sealed record ActionOrigin(string? Circuit, string? RemoteAddress)
{
    public static readonly ActionOrigin Unknown = new(null, null);
}

/// <summary>
/// The audit trail of the operator feature, in a log category of its own (<see cref="Category"/>) so an
/// admin can route it apart from diagnostics: every action sent with its outcome, every refusal
/// (throttled: a flood of refused clicks costs one line per interval), every sign-in and sign-out.
/// Never a token; a dialled number and the PBX's own error text only where <c>Blf:CallDetails=Full</c>.
/// </summary>
internal sealed partial class OperatorAudit(IOptions<PrivacyOptions> privacy, BlfMetrics metrics, TimeProvider timeProvider, ILoggerFactory loggers)
{
    /// <summary>The log category of the audit trail.</summary>
    public const string Category = "BlfBlazor.Audit";

    /// <summary>At most one refusal line of a kind per interval; the next says how many it stands for.</summary>
    public static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>Written instead of the PBX's own words where call details are not all shown: they may name a party.</summary>
    private const string WithheldDetail = "(pbx text withheld)";

    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly LogThrottle _forbiddenLog = new(timeProvider, RefusalLogInterval);
    private readonly LogThrottle _rateLimitedLog = new(timeProvider, RefusalLogInterval);

    /// <summary>An action that was sent (or ended before the PBX was asked), with its result and how long it took.</summary>
    public void Action(Operator op, OperatorAction action, string target, uint call, ActionOrigin origin, string result, TimeSpan duration, string? pbxDetail)
    {
        metrics.ActionEnded(action.Kind.ToString(), result);
        var detail = pbxDetail is null ? null : privacy.Value.CallDetails == CallDetails.Full ? pbxDetail : WithheldDetail;
        Log.Action(_logger, op.Login, op.PhoneCn, origin.Circuit ?? "-", origin.RemoteAddress ?? "-", action.Kind, target, call == 0 ? "-" : call.ToString(System.Globalization.CultureInfo.InvariantCulture), result, Math.Round(duration.TotalMilliseconds), detail ?? string.Empty);
    }

    /// <summary>Someone without operator rights asked for an action: counted every time, logged at most once per interval.</summary>
    public void Forbidden(string viewer, OperatorAction action, string target, ActionOrigin origin) =>
        Refused(_forbiddenLog, "forbidden", viewer, action, target, origin);

    /// <summary>An operator went over the action rate: counted every time, logged at most once per interval.</summary>
    public void RateLimited(Operator op, OperatorAction action, string target, ActionOrigin origin) =>
        Refused(_rateLimitedLog, "rate-limited", op.Login, action, target, origin);

    /// <summary>A person signed in (the provider vouched for them); who they are, never their tokens.</summary>
    public void SignedIn(string login, string name) => Log.SignedIn(_logger, login, name, timeProvider.GetUtcNow());

    /// <summary>A person signed out from the board.</summary>
    public void SignedOut(string login) => Log.SignedOut(_logger, login, timeProvider.GetUtcNow());

    private void Refused(LogThrottle throttle, string reason, string who, OperatorAction action, string target, ActionOrigin origin)
    {
        metrics.ActionEnded(action.Kind.ToString(), reason);
        int suppressed;
        bool log;

        // Boards refuse from many circuits at once; the throttle counts from one place at a time.
        lock (throttle)
        {
            log = throttle.ShouldLog(out suppressed);
        }

        if (log)
        {
            Log.Refused(_logger, action.Kind, target, who, origin.RemoteAddress ?? "-", origin.Circuit ?? "-", reason, suppressed);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Operator action: {Operator} (phone {Phone}, circuit {Circuit} from {Source}) {Action} {Target} call {Call}: {Result} after {DurationMs} ms {Detail}")]
        public static partial void Action(ILogger logger, string @operator, string phone, string circuit, string source, ActionKind action, string target, string call, string result, double durationMs, string detail);

        [LoggerMessage(2, LogLevel.Warning, "Refused {Action} {Target} for {Viewer} from {Source} (circuit {Circuit}): {Reason} ({Suppressed} more refused since the last such message)")]
        public static partial void Refused(ILogger logger, ActionKind action, string target, string viewer, string source, string circuit, string reason, int suppressed);

        [LoggerMessage(3, LogLevel.Information, "Signed in: {Login} ({Name}) at {Time:O}")]
        public static partial void SignedIn(ILogger logger, string login, string name, DateTimeOffset time);

        [LoggerMessage(4, LogLevel.Information, "Signed out: {Login} at {Time:O}")]
        public static partial void SignedOut(ILogger logger, string login, DateTimeOffset time);
    }
}
