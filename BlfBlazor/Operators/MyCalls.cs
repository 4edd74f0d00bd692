using System.Security.Claims;
using BlfBlazor.Callbacks;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Operators;

/// <summary>
/// My calls: what a signed-in person may do with their own missed calls and callbacks, whoever they are
/// (operator or not). Who they are is asked per request (<see cref="OperatorRoster.OwnUser"/>), never what
/// the page believed; a person reaches only their own items, and a call back dials the number the board
/// kept for the item, from their own phone, never a number the page sent. Every step is audited.
/// </summary>
internal sealed class MyCalls(
    OperatorRoster roster,
    CallbackBook callbacks,
    OperatorDesk desk,
    OperatorAudit audit,
    IStringLocalizer<ActionText> text,
    TimeProvider timeProvider)
{
    /// <summary>The PBX user the viewer is; null when they have no My calls.</summary>
    public PbxUser? Own(ClaimsPrincipal viewer) => roster.OwnUser(viewer);

    /// <summary>Marks one of the viewer's own callbacks done.</summary>
    public ActionReport Done(ClaimsPrincipal viewer, string callbackId, ActionOrigin origin)
    {
        var started = timeProvider.GetTimestamp();
        var action = new OperatorAction(ActionKind.CallbackDone, Item: callbackId);
        if (Person(viewer) is not { } person)
        {
            audit.Forbidden(Who(viewer), action, "-", origin);
            return new ActionReport(ActionState.Failed, text["Forbidden"]);
        }

        var result = callbacks.Done(callbackId, person.Op.Login, forUser: person.User.Guid);
        audit.Action(person.Op, action, $"{person.User.Cn} callback {callbackId}", 0, origin, result == CallbackResult.Done ? "done" : "no-callback", timeProvider.GetElapsedTime(started), null);
        return result == CallbackResult.Done
            ? new ActionReport(ActionState.Done, text["CallbackDoneDone", person.User.DisplayName])
            : new ActionReport(ActionState.Failed, text["NoCallback"]);
    }

    /// <summary>Calls back the caller of one of the viewer's own callbacks (by id) or missed calls (by call key), from their own phone.</summary>
    public async Task<ActionReport> CallBackAsync(ClaimsPrincipal viewer, string key, ActionOrigin origin)
    {
        var started = timeProvider.GetTimestamp();
        var action = new OperatorAction(ActionKind.Call, Item: key);
        if (Person(viewer) is not { } person)
        {
            audit.Forbidden(Who(viewer), action, "-", origin);
            return new ActionReport(ActionState.Failed, text["Forbidden"]);
        }

        var own = callbacks.Of(person.User.Guid).Open.FirstOrDefault(c => c.Id == key)?.Caller
            ?? person.User.Missed.Calls.FirstOrDefault(c => c.CallKey == key)?.Peer;
        var number = DialString.Normalize(own?.Number);
        var result = "no-call";
        DeskOutcome? outcome = null;
        try
        {
            if (number is null)
            {
                return new ActionReport(ActionState.Failed, text["NoCallback"]);
            }

            outcome = await desk.DialAsync(person.Op.PhoneCn, Destination.Dial(number), CancellationToken.None);
            result = outcome.Result == DeskResult.Done ? "done" : outcome.Result.ToString().ToLowerInvariant();
            return outcome.Result == DeskResult.Done
                ? new ActionReport(ActionState.Done, text["CallDone", own?.Shown ?? number])
                : new ActionReport(ActionState.Failed, text["Refused"]);
        }
        finally
        {
            // The trail names the item, never the number (the item leads to it where call details allow).
            audit.Action(person.Op, action, $"{person.User.Cn} call back {key}", 0, origin, result, timeProvider.GetElapsedTime(started), outcome?.Detail);
        }
    }

    /// <summary>The viewer as the audit names them (login claim, their own phone) and their PBX user.</summary>
    private (Operator Op, PbxUser User)? Person(ClaimsPrincipal viewer)
    {
        if (roster.OwnUser(viewer) is not { Cn: { } cn } user || viewer.FindFirst(roster.LoginClaim)?.Value is not { Length: > 0 } login)
        {
            return null;
        }

        return (new Operator(login, viewer.FindFirst("name")?.Value ?? login, cn), user);
    }

    private static string Who(ClaimsPrincipal viewer) =>
        viewer.Identity?.IsAuthenticated == true ? viewer.Identity.Name ?? "(signed in)" : "(anonymous)";
}
