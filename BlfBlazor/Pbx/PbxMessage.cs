using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>The messages the board acts on; everything else is <see cref="Other"/>.</summary>
internal enum PbxMessageType
{
    Other,
    AppChallengeResult,
    AppLoginResult,
    InitializeResult,
    UserInfo,
    UserInitializeResult,
    CallInfo,
    CallAdd,
    CallUpdate,
    CallDel,
    SubscribePresenceResult,
    PresenceState,
    PresenceUpdate,

    /// <summary>The answer to an operator action (<c>UserCallResult</c>, <c>UserPickupResult</c>, …): its <c>src</c> says which.</summary>
    ActionResult,
}

/// <summary>The PBX API a message belongs to: its <c>api</c>, or the API its <c>mt</c> is part of when it has none.</summary>
internal enum PbxApiName
{
    /// <summary>No API: the AppWebsocket login (<c>AppChallengeResult</c>, <c>AppLoginResult</c>).</summary>
    None,

    /// <summary>Remote call control: the user list, call monitors and call control.</summary>
    Rcc,

    /// <summary>PbxApi: presence.</summary>
    PbxApi,

    /// <summary>PbxTableUsers: replication of the user table.</summary>
    PbxTableUsers,

    /// <summary>An API the board does not use.</summary>
    Other,
}

internal static class PbxMessageTypes
{
    /// <summary>A message of the call monitors (RCC): UserInitializeResult, CallInfo, CallAdd, CallUpdate, CallDel.</summary>
    public static bool IsCallMessage(this PbxMessageType type) =>
        type is PbxMessageType.UserInitializeResult or PbxMessageType.CallInfo or PbxMessageType.CallAdd or PbxMessageType.CallUpdate or PbxMessageType.CallDel;

    /// <summary>A message of the presence feed (PbxApi).</summary>
    public static bool IsPresenceMessage(this PbxMessageType type) =>
        type is PbxMessageType.SubscribePresenceResult or PbxMessageType.PresenceState or PbxMessageType.PresenceUpdate;

    /// <summary>A message whose call and presence fields are checked strictly: the monitors' and the operator desk's.</summary>
    public static bool IsMonitorMessage(this PbxMessageType type) => type.IsCallMessage() || type.IsPresenceMessage() || type == PbxMessageType.ActionResult;

    /// <summary>The API a message type belongs to, for a message that does not name its <c>api</c>.</summary>
    public static PbxApiName Api(this PbxMessageType type) => type switch
    {
        PbxMessageType.AppChallengeResult or PbxMessageType.AppLoginResult => PbxApiName.None,
        _ when type.IsPresenceMessage() => PbxApiName.PbxApi,
        PbxMessageType.Other => PbxApiName.Other,
        _ => PbxApiName.Rcc,
    };
}

/// <summary>One endpoint of a call as the PBX describes it (<c>peer</c>, <c>no[]</c>, <c>remote</c>); fields may be empty.</summary>
internal sealed record Connector(string? Type, string? Cn, string? Dn, string? H323, string? E164);

/// <summary>
/// One PBX frame, read once (<see cref="PbxMessageReader"/>) into the fields the board uses. A value:
/// nothing is allocated for it, and nothing downstream can change what the PBX said.
/// </summary>
internal readonly record struct PbxMessage
{
    public PbxMessageType Type { get; init; }

    /// <summary>The API this message belongs to: see <see cref="PbxApiName"/>.</summary>
    public PbxApiName Api { get; init; }

    /// <summary>The <c>src</c> of the request that started it: how answers and indications find their requester.</summary>
    public string? Src { get; init; }

    /// <summary><c>AppChallengeResult</c>: the challenge to hash.</summary>
    public string? Challenge { get; init; }

    /// <summary><c>AppLoginResult</c>: a literal <c>ok:true</c>.</summary>
    public bool LoginOk { get; init; }

    /// <summary><c>AppLoginResult</c>: why the login was refused (<c>errorText</c>, else <c>error</c>).</summary>
    public string? LoginError { get; init; }

    /// <summary><c>UserInfo</c>: the user's record (null for a deletion).</summary>
    public PbxUserInfo? User { get; init; }

    /// <summary>The user's (<c>UserInfo</c>) or the leg's owner's (<c>CallAdd</c>) guid.</summary>
    public string? Guid { get; init; }

    /// <summary><c>UserInfo</c>: a live change (<c>update</c>), not an entry of the initial list.</summary>
    public bool IsUpdate { get; init; }

    /// <summary><c>UserInfo</c>: the user was deleted (<c>update:"del"</c>).</summary>
    public bool IsDelete { get; init; }

    /// <summary>The RCC user handle (<c>user</c>).</summary>
    public uint UserHandle { get; init; }

    /// <summary>The RCC call handle (<c>call</c>).</summary>
    public uint Call { get; init; }

    /// <summary>The call state bits (read by <c>Rcc.CallStateBits</c>), when sent.</summary>
    public int? State { get; init; }

    public string? Msg { get; init; }

    public bool Del { get; init; }

    /// <summary>Seconds since the call started, when the PBX says (13r3+).</summary>
    public int? Time { get; init; }

    public Connector? Peer { get; init; }

    public IReadOnlyList<Connector>? No { get; init; }

    /// <summary><c>CallAdd</c>: shared by the legs of one call.</summary>
    public string? ConfId { get; init; }

    /// <summary><c>CallUpdate</c>: the other end, with a normalised number.</summary>
    public Connector? Remote { get; init; }

    /// <summary><c>PresenceState</c>: false while the PBX cannot say (presence unknown).</summary>
    public bool? Up { get; init; }

    /// <summary>An answer's error (<c>error</c> or <c>errorText</c>), at most 200 characters.</summary>
    public string? Error { get; init; }

    /// <summary><c>CallInfo</c>: the text of the clearing cause in <c>info</c>, when the PBX gives one.</summary>
    public string? Cause { get; init; }

    /// <summary><c>PresenceUpdate</c>: the newest item, which the PBX says is the one to show.</summary>
    public (string Activity, string? Note)? Presence { get; init; }

    /// <summary>True when the message ends a call leg (<c>msg:"del"</c> or <c>del:true</c>; either form).</summary>
    public bool EndsLeg => Del || Msg == "del";
}
