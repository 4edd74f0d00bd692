using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// PbxApi AddDiversion, DelDiversion and GetDiversion (PBXAPIS.md §3.2, 14r1 and later: on a 13r1 PBX they
/// are unknown). The Result comes first; the change then reaches every replication as a ReplicateUpdate.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    /// <summary>AddDiversion {sip | guid, type, ep-num | ep-sip} / DelDiversion {sip | guid, type}: ok:false for an unknown user, type or destination.</summary>
    private void ChangeDiversion(string mt, JsonElement message, JsonElement? src) => _pbx.Atomically(() =>
    {
        if (RefusedPbxApi(_pbx.Variants, mt, src))
        {
            return;
        }

        var user = TargetOf(message);
        var type = TableMessages.TypeOf(StringProperty(message, "type"));
        var number = NonEmpty(StringProperty(message, "ep-num"));
        var name = NonEmpty(StringProperty(message, "ep-sip"));
        var adding = mt == "AddDiversion";
        var ok = user is not null && type is not null && (!adding || number is not null || name is not null);
        Post(DiversionMessages.Result(mt, src, ok));
        if (!ok)
        {
            return;
        }

        if (adding)
        {
            _pbx.AddDiversion(user!.Guid, new Diversion(type!.Value, number, name));
        }
        else
        {
            _pbx.DeleteDiversions(user!.Guid, type!.Value);
        }
    });

    /// <summary>GetDiversion {sip | guid, type}: the destination of the diversion of that type that applies, if any.</summary>
    private void GetDiversion(JsonElement message, JsonElement? src) => _pbx.Atomically(() =>
    {
        if (RefusedPbxApi(_pbx.Variants, "GetDiversion", src))
        {
            return;
        }

        var user = TargetOf(message);
        var type = TableMessages.TypeOf(StringProperty(message, "type"));
        Post(DiversionMessages.GetResult(src, user is not null && type is { } wanted ? SimulatedPbx.ActiveDiversion(user, wanted) : null));
    });

    /// <summary>
    /// AppNotify {sip | guid, title, text} (PBXAPIS.md §3.3, 14r1 like the diversions): a notification to the
    /// user's myApps, which the simulator only answers (the request itself is recorded like every request);
    /// <c>error:"not found"</c> for a user it does not have.
    /// </summary>
    private void AppNotify(JsonElement message, JsonElement? src) => _pbx.Atomically(() =>
    {
        if (!RefusedPbxApi(_pbx.Variants, "AppNotify", src))
        {
            Post(DiversionMessages.AppNotifyResult(src, found: TargetOf(message) is not null));
        }
    });

    /// <summary>The user a PbxApi request names by <c>sip</c> (h323), else by <c>guid</c>; null for none.</summary>
    private SimulatedUser? TargetOf(JsonElement message) =>
        StringProperty(message, "sip") is { } sip ? _pbx.UserBySipOrNum(sip, null)
        : StringProperty(message, "guid") is { } guid ? _pbx.Find(guid)
        : null;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
