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

    /// <summary>PbxTableUsers: the answer to <c>ReplicateStart</c> (the publisher's columns, or an error).</summary>
    ReplicateStartResult,

    /// <summary>PbxTableUsers: one row of the initial table, or (without columns) its end.</summary>
    ReplicateNextResult,

    /// <summary>PbxTableUsers: a row was added or changed (<c>ReplicateAdd</c>, <c>ReplicateUpdate</c>: the whole row).</summary>
    ReplicateUpsert,

    /// <summary>PbxTableUsers: a row was deleted.</summary>
    ReplicateDel,

    /// <summary>
    /// The answer to an operator action (<c>UserCallResult</c>, <c>UserPickupResult</c>, <c>UserRerouteResult</c>, …, and
    /// PbxApi's <c>SetPresenceResult</c>, <c>AddDiversionResult</c>, <c>DelDiversionResult</c>, <c>GetDiversionResult</c>): its <c>src</c> says which.
    /// </summary>
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
        PbxMessageType.ReplicateStartResult or PbxMessageType.ReplicateNextResult or PbxMessageType.ReplicateUpsert or PbxMessageType.ReplicateDel => PbxApiName.PbxTableUsers,
        PbxMessageType.Other => PbxApiName.Other,
        _ => PbxApiName.Rcc,
    };
}

/// <summary>One endpoint of a call as the PBX describes it (<c>peer</c>, <c>no[]</c>, <c>remote</c>); fields may be empty.</summary>
internal sealed record Connector(string? Type, string? Cn, string? Dn, string? H323, string? E164);

/// <summary>
/// One PBX frame, read once (<see cref="PbxMessageReader"/>) into the fields the board uses. A value:
/// reading a <c>UserInfo</c> allocates nothing for it, and nothing downstream can change what the PBX
/// said. A call or presence message carries its fields in one immutable <see cref="MonitorFields"/>,
/// so the value stays small to pass along.
/// </summary>
internal readonly record struct PbxMessage
{
    public PbxMessageType Type { get; init; }

    /// <summary>The API this message belongs to: see <see cref="PbxApiName"/>.</summary>
    public PbxApiName Api { get; init; }

    /// <summary>The <c>src</c> of the request that started it (call and presence messages): how answers and indications find their requester.</summary>
    public string? Src { get; init; }

    /// <summary><c>AppChallengeResult</c>: the challenge to hash.</summary>
    public string? Challenge { get; init; }

    /// <summary><c>AppLoginResult</c>: a literal <c>ok:true</c>.</summary>
    public bool LoginOk { get; init; }

    /// <summary>An action's answer with a literal <c>ok:true</c> (<c>AddDiversionResult</c>, <c>DelDiversionResult</c>); "true" or 1 are not.</summary>
    public bool Ok { get; init; }

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

    /// <summary>A PbxTableUsers message's row (<c>columns</c>); null when it had none, which ends the initial paging.</summary>
    public TableColumns? Columns { get; init; }

    /// <summary>The fields of a call or presence message; null for every other message.</summary>
    public MonitorFields? Monitor { get; init; }

    /// <summary>The RCC user handle (<c>user</c>).</summary>
    public uint UserHandle => Monitor?.User ?? 0;

    /// <summary>The RCC call handle (<c>call</c>).</summary>
    public uint Call => Monitor?.Call ?? 0;

    /// <summary>The call state bits (read by <c>Rcc.CallStateBits</c>), when sent.</summary>
    public int? State => Monitor?.State;

    public string? Msg => Monitor?.Msg;

    public bool Del => Monitor?.Del ?? false;

    /// <summary>Seconds since the call started, when the PBX says (13r3+).</summary>
    public int? Time => Monitor?.Time;

    public Connector? Peer => Monitor?.Peer;

    public IReadOnlyList<Connector>? No => Monitor?.No;

    /// <summary><c>CallAdd</c>: shared by the legs of one call.</summary>
    public string? ConfId => Monitor?.ConfId;

    /// <summary><c>CallUpdate</c>: the other end, with a normalised number.</summary>
    public Connector? Remote => Monitor?.Remote;

    /// <summary><c>PresenceState</c>: false while the PBX cannot say (presence unknown).</summary>
    public bool? Up => Monitor?.Up;

    /// <summary>An answer's error (<c>error</c> or <c>errorText</c>), at most 200 characters.</summary>
    public string? Error => Monitor?.Error;

    /// <summary><c>CallInfo</c>: the text of the clearing cause in <c>info</c>, when the PBX gives one.</summary>
    public string? Cause => Monitor?.Cause;

    /// <summary><c>CallInfo</c>: the clearing cause's number in <c>info</c> (<c>vali</c>; 26 "non-selected user clearing": the call went elsewhere).</summary>
    public int? CauseCode => Monitor?.CauseCode;

    /// <summary><c>PresenceUpdate</c>: the newest item, which the PBX says is the one to show.</summary>
    public (string Activity, string? Note)? Presence => Monitor?.Presence;

    /// <summary>True when the message ends a call leg (<c>msg:"del"</c> or <c>del:true</c>; either form).</summary>
    public bool EndsLeg => Del || Msg == "del";
}

/// <summary>
/// The columns of one user-table row the board asked for (<c>guid</c>, <c>cn</c>, <c>h323</c>, <c>e164</c>,
/// <c>pseudo</c>, <c>cds</c>, <c>grps</c>); every other column (a password among them) is skipped unread. On a
/// <c>ReplicateStartResult</c> only <see cref="HasDiversions"/> matters: whether the publisher offers <c>cds</c>.
/// </summary>
/// <param name="Pseudo">The object type reduced to a word (<c>&lt;pseudo type="vm"/&gt;</c> gives <c>vm</c>); empty for a user.</param>
/// <param name="HasDiversions">The <c>cds</c> column was present.</param>
internal sealed record TableColumns(string? Guid, string? Cn, string? H323, string? E164, string Pseudo, IReadOnlyList<TableDiversion> Diversions, bool HasDiversions)
{
    /// <summary>The PBX groups (<c>grps</c>) the object is in now, by name, in the table's order (bounded by the reader).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}

/// <summary>One <c>cds</c> entry as the table gives it: <c>type</c> (<c>cfu</c>, <c>cfb</c>, <c>cfnr</c>), a destination, and whether a condition applies.</summary>
internal sealed record TableDiversion(string Type, string? E164, string? H323, bool IsConditional);

/// <summary>The fields of one call or presence message, as read; immutable once the reader made it.</summary>
internal sealed record MonitorFields(
    uint User,
    uint Call,
    int? State,
    string? Msg,
    bool Del,
    int? Time,
    Connector? Peer,
    IReadOnlyList<Connector>? No,
    string? ConfId,
    Connector? Remote,
    bool? Up,
    string? Error,
    string? Cause,
    (string Activity, string? Note)? Presence)
{
    /// <summary>The clearing cause's number (<c>info</c>'s <c>vali</c>), when the PBX gives one.</summary>
    public int? CauseCode { get; init; }
}
