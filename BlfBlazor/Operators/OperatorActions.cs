using System.Collections.Concurrent;
using System.Security.Claims;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>What an operator asks the board to do.</summary>
public enum ActionKind
{
    /// <summary>Call a colleague (tile) or a number (dial box) from the operator's phone.</summary>
    Call,

    /// <summary>Take a colleague's ringing call onto the operator's phone.</summary>
    Pickup,

    /// <summary>Put the operator's current call through to a colleague without announcing it.</summary>
    Transfer,

    /// <summary>Hold the operator's caller and call the colleague first.</summary>
    Announce,

    /// <summary>Announced transfer: join the held caller with the colleague.</summary>
    CompleteTransfer,

    /// <summary>Announced transfer abandoned: end the call to the colleague and take the caller back.</summary>
    ReturnToCaller,

    /// <summary>End one of the operator's own calls.</summary>
    HangUp,

    /// <summary>Answer a call ringing at the operator's phone.</summary>
    Answer,
}

/// <param name="TargetGuid">The colleague's tile (Call, Pickup, Transfer, Announce).</param>
/// <param name="Number">What the operator typed into the dial box (Call without a tile).</param>
/// <param name="Call">The operator's own call (HangUp, Answer; Transfer and Announce take the current call when 0).</param>
public sealed record OperatorAction(ActionKind Kind, string? TargetGuid = null, string? Number = null, uint Call = 0)
{
    /// <summary>Two clicks on the same thing while the first is pending are one action.</summary>
    internal string Key => $"{Kind}|{TargetGuid}|{Number}|{Call}";
}

/// <summary>Where an action stands, as a tile and the operator's call list show it (<c>data-action-state</c>).</summary>
public enum ActionState
{
    Pending,
    Done,
    Failed,
}

/// <summary>What the operator is told about an action: its state and one sentence.</summary>
public sealed record ActionReport(ActionState State, string Message);

/// <summary>
/// The one door through which a board acts on the PBX. Every action is authorised here, per request,
/// from the circuit's signed-in user (never by which buttons a page shows), limited per operator,
/// sent once however often it is clicked, worded for the operator, and audited (<see cref="OperatorAudit"/>):
/// one audit line and one <c>blf.actions</c> measurement per action.
/// </summary>
/// <remarks>
/// Once admitted, an action runs to its end whatever happens to the board that asked: the PBX may
/// already be acting on it, and a second board of the same operator may be waiting for the same
/// action. A board that goes away only stops waiting.
/// </remarks>
internal sealed partial class OperatorActions(
    OperatorRoster roster,
    OperatorDesk desk,
    UserDirectory directory,
    OperatorAudit audit,
    IOptions<PrivacyOptions> privacy,
    IStringLocalizer<ActionText> text,
    TimeProvider timeProvider,
    ILogger<OperatorActions> logger)
{
    /// <summary>Actions per operator per second; more are refused until the second has passed.</summary>
    public const int MaxPerSecond = 5;

    /// <summary>A repeat of the same action within this time is the same click (a double click), whether or not the first has ended.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (long Started, Task<ActionReport> Task)> _recentActions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<long>> _recent = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the action will say while it waits for the PBX.</summary>
    public string PendingMessage(OperatorAction action) => Words(action, ActionState.Pending, TargetName(action));

    /// <summary>
    /// Runs <paramref name="action"/> for <paramref name="viewer"/> if they are an operator; a refusal is an answer, never an exception.
    /// <paramref name="cancellationToken"/> ends only this board's wait (the board closed), never the action.
    /// </summary>
    public Task<ActionReport> RunAsync(ClaimsPrincipal viewer, OperatorAction action, CancellationToken cancellationToken, ActionOrigin? origin = null)
    {
        origin ??= ActionOrigin.Unknown;
        if (roster.Resolve(viewer) is not { } op)
        {
            var who = viewer.Identity?.IsAuthenticated == true ? viewer.Identity.Name ?? "(signed in)" : "(anonymous)";
            audit.Forbidden(who, action, AuditTarget(action, Target(action)), origin);
            return Task.FromResult(new ActionReport(ActionState.Failed, text["Forbidden"]));
        }

        // A second click while the first is pending, or just after, is the same action: never sent twice.
        var key = op.Login + "|" + action.Key;
        var now = timeProvider.GetTimestamp();
        if (_recentActions.TryGetValue(key, out var recent) && (!recent.Task.IsCompleted || timeProvider.GetElapsedTime(recent.Started, now) < RepeatWindow))
        {
            return recent.Task.WaitAsync(cancellationToken);
        }

        if (!Admit(op.Login))
        {
            audit.RateLimited(op, action, AuditTarget(action, Target(action)), origin);
            return Task.FromResult(new ActionReport(ActionState.Failed, text["RateLimited"]));
        }

        // Not the board's token: see the remarks.
        var task = RunAdmittedAsync(op, action, origin);
        _recentActions[key] = (now, task);
        ForgetOldActions(now);
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>The operator's phone now (their calls, any announced transfer).</summary>
    public OperatorPhone Phone(Operator op) => desk.Phone(op.PhoneCn);

    /// <summary>
    /// An operator's board is open: keeps a handle for their phone on the PBX connection while the
    /// returned subscription lives, and calls <paramref name="changed"/> (on the desk's thread: marshal
    /// it) with the phone whenever its calls change. A failing callback costs its own board only.
    /// </summary>
    public IDisposable Watch(Operator op, Action<OperatorPhone> changed) => new PhoneWatch(desk, op.PhoneCn, changed, logger);

    private async Task<ActionReport> RunAdmittedAsync(Operator op, OperatorAction action, ActionOrigin origin)
    {
        var started = timeProvider.GetTimestamp();
        var target = Target(action);
        var name = TargetName(action, target);
        var call = action.Call != 0 ? action.Call
            : action.Kind is ActionKind.Transfer or ActionKind.Announce ? desk.Phone(op.PhoneCn).CurrentCall?.Call ?? 0
            : 0;
        var result = "error";
        DeskOutcome? outcome = null;
        try
        {
            if (action.Kind is ActionKind.Call or ActionKind.Pickup or ActionKind.Transfer or ActionKind.Announce && target is null && action.Number is null)
            {
                outcome = new DeskOutcome(DeskResult.NoSuchCall);
            }
            else if (action.Kind == ActionKind.Call && target is null && DialString.Normalize(action.Number) is null)
            {
                result = "bad-number";
                return new ActionReport(ActionState.Failed, text["BadNumber", action.Number ?? string.Empty]);
            }
            else
            {
                outcome = await SendAsync(op, action, target, call);
            }

            result = outcome.Result switch
            {
                DeskResult.Done => "done",
                DeskResult.Refused => "refused",
                DeskResult.NotConfirmed => "timeout",
                DeskResult.NoConnection => "no-connection",
                DeskResult.ConnectionLost => "connection-lost",
                DeskResult.PhoneUnavailable => "no-phone",
                _ => "no-call",
            };
            return outcome.Result == DeskResult.Done
                ? new ActionReport(ActionState.Done, Words(action, ActionState.Done, name))
                : new ActionReport(ActionState.Failed, Failure(action, outcome, name));
        }
        finally
        {
            // Whatever ended the action, the trail says so.
            audit.Action(op, action, AuditTarget(action, target), call, origin, result, timeProvider.GetElapsedTime(started), outcome?.Detail);
        }
    }

    private Task<DeskOutcome> SendAsync(Operator op, OperatorAction action, PbxUser? target, uint current)
    {
        var phone = op.PhoneCn;
        var to = target?.Cn is { } cn ? Destination.User(cn) : Destination.Dial(DialString.Normalize(action.Number) ?? string.Empty);
        var none = CancellationToken.None;
        return action.Kind switch
        {
            ActionKind.Call => desk.DialAsync(phone, to, none),
            ActionKind.Pickup => desk.PickupAsync(phone, target!.Cn!, RingingCall(target), none),
            ActionKind.Transfer => desk.RedirectAsync(phone, current, to, none),
            ActionKind.Announce => desk.AnnounceAsync(phone, current, to, none),
            ActionKind.CompleteTransfer => desk.CompleteTransferAsync(phone, none),
            ActionKind.ReturnToCaller => desk.ReturnToCallerAsync(phone, none),
            ActionKind.HangUp => desk.HangUpAsync(phone, action.Call, none),
            ActionKind.Answer => desk.AnswerAsync(phone, action.Call, none),
            _ => Task.FromResult(new DeskOutcome(DeskResult.NoSuchCall)),
        };
    }

    /// <summary>The ringing leg this connection knows for the colleague (sent as <c>call</c>); 0 lets the PBX pick by <c>cn</c>.</summary>
    private static uint RingingCall(PbxUser colleague) =>
        colleague.Activity?.Calls.FirstOrDefault(c => c.Phase == CallPhase.Ringing)?.Handle ?? 0;

    private PbxUser? Target(OperatorAction action)
    {
        if (action.TargetGuid is not { } guid)
        {
            return null;
        }

        foreach (var user in directory.Current.Users)
        {
            if (user.Guid == guid)
            {
                return user.Cn is null ? null : user;
            }
        }

        return null;
    }

    private string TargetName(OperatorAction action, PbxUser? target = null) =>
        (target ?? Target(action))?.DisplayName ?? action.Number ?? string.Empty;

    private string Words(OperatorAction action, ActionState state, string name) =>
        text[$"{action.Kind}{state}", name];

    private string Failure(OperatorAction action, DeskOutcome outcome, string name) => outcome.Result switch
    {
        DeskResult.Refused when action.Kind == ActionKind.Pickup => text["PickupTooLate", name],
        DeskResult.Refused => outcome.Detail is { } detail ? text["RefusedWithReason", detail] : text["Refused"],
        DeskResult.NotConfirmed => text["NotConfirmed", desk.ActionTimeout.TotalSeconds],
        DeskResult.NoConnection => text["NoConnection"],
        DeskResult.ConnectionLost => text["ConnectionLost"],
        DeskResult.PhoneUnavailable => text["PhoneUnavailable"],
        _ => action.Kind is ActionKind.CompleteTransfer or ActionKind.ReturnToCaller ? text["NoConsultation"] : text["NoSuchCall"],
    };

    private void ForgetOldActions(long now)
    {
        foreach (var (key, recent) in _recentActions)
        {
            if (recent.Task.IsCompleted && timeProvider.GetElapsedTime(recent.Started, now) >= RepeatWindow)
            {
                _recentActions.TryRemove(key, out _);
            }
        }
    }

    /// <summary>At most <see cref="MaxPerSecond"/> actions in any second, per operator.</summary>
    private bool Admit(string login)
    {
        var now = timeProvider.GetTimestamp();
        var window = (long)timeProvider.TimestampFrequency;
        var recent = _recent.GetOrAdd(login, _ => new Queue<long>());
        lock (recent)
        {
            while (recent.Count > 0 && now - recent.Peek() >= window)
            {
                recent.Dequeue();
            }

            if (recent.Count >= MaxPerSecond)
            {
                return false;
            }

            recent.Enqueue(now);
            return true;
        }
    }

    /// <summary>Who or what an action was aimed at, for the audit: a dialled number only where <c>Blf:CallDetails=Full</c> lets call detail be shown.</summary>
    private string AuditTarget(OperatorAction action, PbxUser? user) =>
        action.TargetGuid is not null ? user?.Cn ?? action.TargetGuid
            : action.Number is null ? "-"
            : privacy.Value.CallDetails == CallDetails.Full ? DialString.Normalize(action.Number) ?? "(not a number)"
            : "(a number)";

    private sealed class PhoneWatch : IDisposable
    {
        private readonly OperatorDesk _desk;
        private readonly string _cn;
        private readonly Action<OperatorPhone> _changed;
        private readonly ILogger _logger;
        private readonly IDisposable _membership;

        public PhoneWatch(OperatorDesk desk, string cn, Action<OperatorPhone> changed, ILogger logger)
        {
            _desk = desk;
            _cn = cn;
            _changed = changed;
            _logger = logger;
            desk.PhoneChanged += OnPhoneChanged;
            _membership = desk.Join(cn);
        }

        private void OnPhoneChanged(string cn)
        {
            if (!string.Equals(cn, _cn, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            try
            {
                _changed(_desk.Phone(_cn));
            }
            catch (Exception ex)
            {
                Log.WatcherFailed(_logger, ex);
            }
        }

        public void Dispose()
        {
            _desk.PhoneChanged -= OnPhoneChanged;
            _membership.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "A board failed to take its operator's phone change")]
        public static partial void WatcherFailed(ILogger logger, Exception exception);
    }
}

/// <summary>What people type as a number (<c>+49 711 …</c>, <c>0711/4711</c>, <c>(0711) 47-11</c>) as the digits the PBX dials.</summary>
public static class DialString
{
    /// <summary>Digits with an optional leading <c>+</c>, or null when it is not a number (letters, empty).</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        var digits = new System.Text.StringBuilder(typed.Length);
        foreach (var c in typed.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0)
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '/' or '-' or '(' or ')' or '.' or '\u00A0'))
            {
                return null;
            }
        }

        return digits.Length > 0 && digits.ToString() != "+" && digits.Length <= 32 ? digits.ToString() : null;
    }
}
