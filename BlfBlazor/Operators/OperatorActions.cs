using System.Collections.Concurrent;
using System.Security.Claims;
using BlfBlazor.Callbacks;
using BlfBlazor.Pbx.PbxApi;
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

    /// <summary>Put the operator's current call through to a colleague without announcing it; it follows their forwarding like any call to them.</summary>
    Transfer,

    /// <summary>Hold the operator's caller and call the colleague first (the call follows their forwarding).</summary>
    Announce,

    /// <summary>Announced transfer: join the held caller with the colleague.</summary>
    CompleteTransfer,

    /// <summary>Announced transfer abandoned: end the call to the colleague and take the caller back.</summary>
    ReturnToCaller,

    /// <summary>End one of the operator's own calls.</summary>
    HangUp,

    /// <summary>Answer a call ringing at the operator's phone.</summary>
    Answer,

    /// <summary>Put the operator's current call through to a colleague's desk phone, past their forwarding.</summary>
    TransferToDesk,

    /// <summary>Hold the operator's caller and call the colleague's desk phone, past their forwarding.</summary>
    AnnounceToDesk,

    /// <summary>Set (or clear) a colleague's presence: an activity and a note.</summary>
    SetPresence,

    /// <summary>Forward a colleague's calls (always, when busy, on no answer) to a number or another colleague.</summary>
    SetForwarding,

    /// <summary>End one of a colleague's forwardings.</summary>
    ClearForwarding,

    /// <summary>Take a caller waiting at a queue onto the operator's phone: the one named (<c>Call</c>), else the longest waiting.</summary>
    TakeFromQueue,

    /// <summary>Take a message for a colleague: who called (<c>CallerName</c>, <c>Number</c>), a note, the urgency. Kept by the board, not sent to the PBX.</summary>
    TakeMessage,

    /// <summary>Mark a colleague's callback (<c>Item</c>) done.</summary>
    CallbackDone,
}

/// <param name="TargetGuid">The colleague's tile (Call, Pickup, the put-throughs and announces, presence, forwarding), or the queue's card (TakeFromQueue).</param>
/// <param name="Number">What the operator typed: into the dial box (Call without a tile), or as a forwarding's destination.</param>
/// <param name="Call">The operator's own call (HangUp, Answer; the put-throughs and announces take the current call when 0), or the queue's caller (TakeFromQueue; 0: the longest waiting).</param>
/// <param name="Activity">SetPresence: the board's word for it (<see cref="PresenceChoice.Words"/>); the page's, so checked.</param>
/// <param name="Note">SetPresence: the note beside the activity (at most <see cref="PresenceChoice.MaxNoteLength"/> characters).</param>
/// <param name="Diversion">SetForwarding, ClearForwarding: which of the colleague's diversions.</param>
/// <param name="DestinationGuid">SetForwarding to another colleague (else to <paramref name="Number"/>).</param>
/// <param name="CallerName">TakeMessage: who called, as typed (the number is <paramref name="Number"/>, the note <paramref name="Note"/>).</param>
/// <param name="Urgent">TakeMessage: the colleague should call back soon.</param>
/// <param name="Item">CallbackDone: the callback's id.</param>
public sealed record OperatorAction(
    ActionKind Kind,
    string? TargetGuid = null,
    string? Number = null,
    uint Call = 0,
    string? Activity = null,
    string? Note = null,
    DiversionKind? Diversion = null,
    string? DestinationGuid = null,
    string? CallerName = null,
    bool Urgent = false,
    string? Item = null)
{
    /// <summary>Two clicks on the same thing while the first is pending are one action.</summary>
    internal string Key => $"{Kind}|{TargetGuid}|{Number}|{Call}|{Activity}|{Note}|{Diversion}|{DestinationGuid}|{CallerName}|{Urgent}|{Item}";
}

/// <summary>The presence an operator can set for a colleague: the board's words and the PBX's, and the note's bound.</summary>
public static class PresenceChoice
{
    /// <summary>Longer notes are refused: the box says so, and the server does not trust the box.</summary>
    public const int MaxNoteLength = 100;

    /// <summary>The board's words (<c>data-activity</c>), in the menu's order.</summary>
    public static readonly IReadOnlyList<string> Words = ["available", "away", "busy", "lunch", "dnd"];

    /// <summary>The PBX's activity for a board word (<c>""</c> for available); null for a word the board does not offer.</summary>
    public static string? PbxActivity(string? word) => word switch
    {
        "available" => string.Empty,
        "away" or "busy" or "lunch" or "dnd" => word,
        _ => null,
    };

    /// <summary>The board word for what the PBX reports, or null when the menu offers no such choice.</summary>
    public static string? WordOf(string pbxActivity) => pbxActivity.Length == 0 ? "available" : PbxActivity(pbxActivity) is null ? null : pbxActivity;

    /// <summary>A note the PBX may get: short, and no control characters (a page could send anything).</summary>
    public static bool IsFitNote(string note) => note.Length <= MaxNoteLength && !note.Any(char.IsControl);
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
    CallbackBook callbacks,
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
    public string PendingMessage(OperatorAction action) => Words(action, ActionState.Pending,
        action.Kind == ActionKind.TakeFromQueue ? (action.TargetGuid is { } queue ? directory.Queues.Find(queue)?.Name : null) ?? string.Empty : TargetName(action));

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

    /// <summary>True for a waiting queue the board shows now (a card an action may name).</summary>
    public bool IsQueue(string guid) => directory.Queues.Find(guid) is not null;

    /// <summary>The operator's phone now (their calls, any announced transfer).</summary>
    public OperatorPhone Phone(Operator op) => desk.Phone(op.PhoneCn);

    /// <summary>True while the PBX lets operators set and clear forwarding (asked once per connection).</summary>
    public bool CanSetForwarding => desk.CanSetForwarding;

    /// <summary>
    /// An operator's board is open: keeps a handle for their phone on the PBX connection while the
    /// returned subscription lives, and calls <paramref name="changed"/> (on the desk's thread: marshal
    /// it) with the phone whenever its calls, or what the PBX offers (<see cref="CanSetForwarding"/>), change.
    /// A failing callback costs its own board only.
    /// </summary>
    public IDisposable Watch(Operator op, Action<OperatorPhone> changed) => new PhoneWatch(desk, op.PhoneCn, changed, logger);

    private async Task<ActionReport> RunAdmittedAsync(Operator op, OperatorAction action, ActionOrigin origin)
    {
        var started = timeProvider.GetTimestamp();
        if (action.Kind == ActionKind.TakeFromQueue)
        {
            return await TakeFromQueueAsync(op, action, origin, started);
        }

        if (action.Kind is ActionKind.TakeMessage or ActionKind.CallbackDone)
        {
            return Callback(op, action, origin, started);
        }

        var target = Target(action);
        var name = TargetName(action, target);
        var call = action.Call != 0 ? action.Call
            : IsPutThrough(action.Kind) ? desk.Phone(op.PhoneCn).CurrentCall?.Call ?? 0
            : 0;
        var result = "error";
        DeskOutcome? outcome = null;
        try
        {
            if ((action.Kind is ActionKind.Call or ActionKind.Pickup || IsPutThrough(action.Kind)) && target is null && action.Number is null)
            {
                outcome = new DeskOutcome(DeskResult.NoSuchCall);
            }
            else if (Unfit(action, target) is { } unfit)
            {
                // What the page sent, checked here: it may have been written by anyone.
                result = unfit.Result;
                return new ActionReport(ActionState.Failed, unfit.Message);
            }
            else
            {
                outcome = await SendAsync(op, action, target, call);
            }

            result = Result(outcome);
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
            ActionKind.Transfer => desk.PutThroughAsync(phone, current, to, pastForwarding: false, none),
            ActionKind.TransferToDesk => desk.PutThroughAsync(phone, current, to, pastForwarding: true, none),
            ActionKind.Announce => desk.AnnounceAsync(phone, current, to, pastForwarding: false, none),
            ActionKind.AnnounceToDesk => desk.AnnounceAsync(phone, current, to, pastForwarding: true, none),
            ActionKind.CompleteTransfer => desk.CompleteTransferAsync(phone, none),
            ActionKind.ReturnToCaller => desk.ReturnToCallerAsync(phone, none),
            ActionKind.HangUp => desk.HangUpAsync(phone, action.Call, none),
            ActionKind.Answer => desk.AnswerAsync(phone, action.Call, none),
            _ when target is { H323: { } sip } colleague => SetForColleagueAsync(action, colleague, sip),
            _ => Task.FromResult(new DeskOutcome(DeskResult.NoSuchCall)),
        };
    }

    /// <summary>
    /// <c>UserPickup</c> on the queue's <c>cn</c> with the caller's leg (PBXAPIS §5.6), done when the caller shows on
    /// the operator's phone. A caller no longer waiting (taken by an agent or another operator, or gone) is not asked
    /// for at all; one the PBX no longer has when the request arrives fails with the same kind of sentence.
    /// </summary>
    private async Task<ActionReport> TakeFromQueueAsync(Operator op, OperatorAction action, ActionOrigin origin, long started)
    {
        var queue = action.TargetGuid is { } guid ? directory.Queues.Find(guid) : null;
        var caller = queue is null ? null : action.Call == 0 ? queue.Next : queue.Callers.FirstOrDefault(c => c.Call == action.Call);
        var name = queue?.Name ?? string.Empty;
        var result = "error";
        DeskOutcome? outcome = null;
        try
        {
            if (queue is null || caller is null)
            {
                result = "no-call";
                return new ActionReport(ActionState.Failed, action.Call == 0 && queue is not null ? text["TakeNobodyWaiting", name] : text["TakeGone", name]);
            }

            outcome = await desk.PickupAsync(op.PhoneCn, queue.Cn, caller.Call, CancellationToken.None);
            result = Result(outcome);
            return outcome.Result == DeskResult.Done
                ? new ActionReport(ActionState.Done, Words(action, ActionState.Done, name))
                : new ActionReport(ActionState.Failed, outcome.Result == DeskResult.Refused ? text["TakeTooLate", name] : Failure(action, outcome, name));
        }
        finally
        {
            audit.Action(op, action, queue?.Cn ?? action.TargetGuid ?? "-", caller?.Call ?? action.Call, origin, result, timeProvider.GetElapsedTime(started), outcome?.Detail);
        }
    }

    /// <summary>
    /// A message taken for a colleague, or a callback done: kept by the board (the PBX is not asked), so done at
    /// once, or refused when the page sent what the board does not keep (checked here, whatever the dialog allowed).
    /// </summary>
    private ActionReport Callback(Operator op, OperatorAction action, ActionOrigin origin, long started)
    {
        var target = Target(action);
        var callback = action.Kind == ActionKind.CallbackDone && action.Item is { } id ? callbacks.Find(id) : null;
        var colleague = callback is null ? target : OnBoard(callback.UserGuid);
        var name = colleague?.DisplayName ?? string.Empty;
        string result;
        ActionReport report;
        if (action.Kind == ActionKind.CallbackDone)
        {
            (result, report) = callback is not null && callbacks.Done(callback.Id, op.Login) == CallbackResult.Done
                ? ("done", new ActionReport(ActionState.Done, Words(action, ActionState.Done, name)))
                : ("no-callback", new ActionReport(ActionState.Failed, text["NoCallback"]));
        }
        else if (target is null)
        {
            (result, report) = ("no-colleague", new ActionReport(ActionState.Failed, text["NoColleague"]));
        }
        else if (Message(action) is not { } message)
        {
            (result, report) = ("bad-message", new ActionReport(ActionState.Failed, text["BadMessage", State.Callback.MaxCallerLength, State.Callback.MaxNoteLength]));
        }
        else
        {
            callback = message with { UserGuid = target.Guid, TakenBy = op.Login, AtUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() };
            (result, report) = callbacks.Take(callback) == CallbackResult.Done
                ? ("done", new ActionReport(ActionState.Done, Words(action, ActionState.Done, name)))
                : ("full", new ActionReport(ActionState.Failed, text["MessagesFull", name]));
            if (result == "done" && target.H323 is { } sip && desk.CanNotify && callbacks.Find(callback.Id) is { } kept)
            {
                // Also to the colleague's myApps where the PBX can (14r1); the message is kept whatever it answers.
                _ = NotifyAsync(sip, kept);
            }
        }

        // The trail names the colleague and the callback, never the caller nor the note.
        var trail = $"{colleague?.Cn ?? "-"} callback {callback?.Id ?? "-"}";
        audit.Action(op, action, trail, 0, origin, result, timeProvider.GetElapsedTime(started), null);
        return report;
    }

    /// <summary>The message as a myApps notification: who called as the board kept them (within <c>Blf:CallDetails</c>), and the note.</summary>
    private async Task NotifyAsync(string sip, Callback kept)
    {
        var caller = kept.Caller?.Shown ?? text["NotifyUnknownCaller"];
        var title = text[kept.Urgency == CallbackUrgency.Urgent ? "NotifyTitleUrgent" : "NotifyTitle", caller].Value;
        var outcome = await desk.NotifyAsync(sip, title, kept.Note, CancellationToken.None);
        if (outcome.Result != DeskResult.Done)
        {
            Log.NotNotified(logger, sip, kept.Id, outcome.Result);
        }
    }

    /// <summary>The message the page sent as the board keeps it, or null when it is too long, has control characters, or says nothing.</summary>
    private static Callback? Message(OperatorAction action)
    {
        var name = Trimmed(action.CallerName);
        var number = Trimmed(action.Number);
        var note = action.Note?.Trim() ?? string.Empty;
        if (!State.Callback.IsFitText(name, State.Callback.MaxCallerLength) || !State.Callback.IsFitText(number, State.Callback.MaxCallerLength)
            || !State.Callback.IsFitText(note, State.Callback.MaxNoteLength, multiline: true) || (name is null && number is null && note.Length == 0))
        {
            return null;
        }

        var caller = name is null && number is null ? null : new CallPeer(name, number, IsInternal: false);
        return new Callback(Guid.NewGuid().ToString("N"), string.Empty, caller, note, action.Urgent ? CallbackUrgency.Urgent : CallbackUrgency.Normal, 0, string.Empty);

        static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Presence and forwarding, already checked by <see cref="Unfit"/>: each done when the board shows it.</summary>
    private Task<DeskOutcome> SetForColleagueAsync(OperatorAction action, PbxUser colleague, string sip)
    {
        var none = CancellationToken.None;
        var kind = action.Diversion.GetValueOrDefault();
        switch (action.Kind)
        {
            case ActionKind.SetPresence:
                var activity = PresenceChoice.PbxActivity(action.Activity) ?? string.Empty;
                var note = action.Note?.Trim() ?? string.Empty;
                return desk.SetPresenceAsync(colleague.Guid, sip, activity, note, PresenceShown(activity, note), none);
            case ActionKind.SetForwarding when ForwardingDestination(action, colleague) is { } destination:
                return desk.AddDiversionAsync(colleague.Guid, sip, kind, destination.To, user => user.Forwarding.Any(d => d.Kind == kind && destination.Shows(d)), none);
            case ActionKind.ClearForwarding:
                return desk.DelDiversionAsync(colleague.Guid, sip, kind, none);
            default:
                return Task.FromResult(new DeskOutcome(DeskResult.NoSuchCall));
        }
    }

    /// <summary>The audit's word for how the desk ended an action.</summary>
    private static string Result(DeskOutcome outcome) => outcome.Result switch
    {
        DeskResult.Done => "done",
        DeskResult.Refused => "refused",
        DeskResult.NotConfirmed => "timeout",
        DeskResult.NoConnection => "no-connection",
        DeskResult.ConnectionLost => "connection-lost",
        DeskResult.PhoneUnavailable => "no-phone",
        _ => "no-call",
    };

    /// <summary>The put-throughs and announces: they move the operator's current call.</summary>
    private static bool IsPutThrough(ActionKind kind) =>
        kind is ActionKind.Transfer or ActionKind.TransferToDesk or ActionKind.Announce or ActionKind.AnnounceToDesk;

    private static bool IsForColleague(ActionKind kind) =>
        kind is ActionKind.SetPresence or ActionKind.SetForwarding or ActionKind.ClearForwarding;

    /// <summary>Why an action cannot be sent as the page asked (its result for the audit and its sentence), or null when it can.</summary>
    private (string Result, string Message)? Unfit(OperatorAction action, PbxUser? target)
    {
        if (action.Kind == ActionKind.Call && target is null && DialString.Normalize(action.Number) is null)
        {
            return ("bad-number", text["BadNumber", action.Number ?? string.Empty]);
        }

        if (!IsForColleague(action.Kind))
        {
            return null;
        }

        if (target?.H323 is null)
        {
            return ("no-colleague", text["NoColleague"]);
        }

        if (action.Kind == ActionKind.SetPresence)
        {
            return PresenceChoice.PbxActivity(action.Activity) is null ? ("bad-presence", text["BadPresence"])
                : !PresenceChoice.IsFitNote(action.Note?.Trim() ?? string.Empty) ? ("bad-note", text["BadNote", PresenceChoice.MaxNoteLength])
                : null;
        }

        if (!desk.CanSetForwarding)
        {
            return ("unsupported", text["ForwardingUnsupported"]);
        }

        if (action.Diversion is not { } kind || !Enum.IsDefined(kind))
        {
            return ("bad-forwarding", text["BadForwarding"]);
        }

        return action.Kind == ActionKind.SetForwarding && ForwardingDestination(action, target) is null
            ? ("bad-number", text["BadForwardingTarget", action.Number ?? string.Empty])
            : null;
    }

    /// <summary>
    /// Where a forwarding set from the board goes, as sent and as the user table will show it: another
    /// colleague (by their number, else their name), or a number as dialled. A number of a colleague on the
    /// board is that colleague, as the table says; the colleague's own number or self is no destination.
    /// </summary>
    private (DiversionTarget To, Func<Diversion, bool> Shows)? ForwardingDestination(OperatorAction action, PbxUser colleague)
    {
        PbxUser? to = null;
        string? number = null;
        if (action.DestinationGuid is { } guid)
        {
            to = OnBoard(guid);
        }
        else if (DialString.Normalize(action.Number) is { } dialled)
        {
            number = dialled;
            foreach (var user in directory.Current.Users)
            {
                if (user.E164 == dialled)
                {
                    to = user;
                    break;
                }
            }
        }

        if (to is not null)
        {
            var wire = to.E164 is { Length: > 0 } e164 ? DiversionTarget.Dial(e164) : to.H323 is { Length: > 0 } h323 ? DiversionTarget.User(h323) : null;
            var toGuid = to.Guid;
            return wire is null || toGuid == colleague.Guid ? null : (wire, d => d.TargetGuid == toGuid);
        }

        // An external number shows as dialled where call details are shown, else as "an external number".
        return number is null ? null : (DiversionTarget.Dial(number), d => d.TargetGuid is null && (d.Shown is null || DialString.Normalize(d.Shown) == number));
    }

    /// <summary>
    /// The presence sent, as the directory will show it: with <c>Blf:Presence=NotesHidden</c> the note never
    /// arrives, and with <c>Off</c> nothing does, so there the PBX's answer is all the board can know.
    /// </summary>
    private Func<PbxUser, bool> PresenceShown(string activity, string note) => privacy.Value.Presence switch
    {
        PresenceDetails.Off => static _ => true,
        PresenceDetails.NotesHidden => user => user.Activity?.Presence?.Activity == activity,
        _ => user => user.Activity?.Presence is { } shown && shown.Activity == activity && (shown.Note ?? string.Empty) == note,
    };

    /// <summary>The ringing leg this connection knows for the colleague (sent as <c>call</c>); 0 lets the PBX pick by <c>cn</c>.</summary>
    private static uint RingingCall(PbxUser colleague) =>
        colleague.Activity?.Calls.FirstOrDefault(c => c.Phase == CallPhase.Ringing)?.Handle ?? 0;

    private PbxUser? Target(OperatorAction action) => action.TargetGuid is { } guid ? OnBoard(guid) : null;

    /// <summary>The user of a tile the board shows (one with a <c>cn</c>, which the PBX's requests name).</summary>
    private PbxUser? OnBoard(string guid)
    {
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
        DeskResult.NotConfirmed when IsForColleague(action.Kind) => text["NotShown", desk.ActionTimeout.TotalSeconds],
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

    /// <summary>
    /// Who or what an action was aimed at, for the audit, with what was set for a colleague: a dialled number
    /// and a presence note only where <c>Blf:CallDetails=Full</c> lets call detail be shown.
    /// </summary>
    private string AuditTarget(OperatorAction action, PbxUser? user)
    {
        var full = privacy.Value.CallDetails == CallDetails.Full;
        if (action.TargetGuid is null)
        {
            return action.Number is null ? "-" : AuditNumber(action.Number, full);
        }

        // Only what the board would send goes into the trail: the page's words are anyone's.
        var who = user?.Cn ?? action.TargetGuid;
        var activity = PresenceChoice.PbxActivity(action.Activity) is null ? "(unknown)" : action.Activity;
        var note = action.Note?.Trim() is { Length: > 0 } shown && full && PresenceChoice.IsFitNote(shown) ? $" \"{shown}\"" : string.Empty;
        return action.Kind switch
        {
            ActionKind.SetPresence => $"{who} presence {activity}{note}",
            ActionKind.SetForwarding => $"{who} {action.Diversion} to " + (action.DestinationGuid is { } to ? OnBoard(to)?.Cn ?? "(not on the board)" : AuditNumber(action.Number, full)),
            ActionKind.ClearForwarding => $"{who} {action.Diversion} cleared",
            _ => who,
        };
    }

    private static string AuditNumber(string? typed, bool full) =>
        full ? DialString.Normalize(typed) ?? "(not a number)" : "(a number)";

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
            desk.CapabilitiesChanged += OnCapabilitiesChanged;
            _membership = desk.Join(cn);
        }

        // What the board offers (forwarding) is drawn with the phone: the same callback redraws it.
        private void OnCapabilitiesChanged() => OnPhoneChanged(_cn);

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
            _desk.CapabilitiesChanged -= OnCapabilitiesChanged;
            _membership.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "A board failed to take its operator's phone change")]
        public static partial void WatcherFailed(ILogger logger, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "The callback {Callback} for {Sip} is kept, but the PBX did not take its myApps notification (AppNotify): {Result}")]
        public static partial void NotNotified(ILogger logger, string sip, string callback, DeskResult result);
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
