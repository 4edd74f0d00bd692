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

/// <summary>Which monitor of a connection a message answers.</summary>
internal static class PbxMessageTypes
{
    /// <summary>A message of the call feeds (RCC): UserInitializeResult, CallInfo, CallAdd, CallUpdate, CallDel.</summary>
    public static bool IsCallMessage(this PbxMessageType type) =>
        type is PbxMessageType.UserInitializeResult or PbxMessageType.CallInfo or PbxMessageType.CallAdd or PbxMessageType.CallUpdate or PbxMessageType.CallDel;

    /// <summary>A message read as a <see cref="MonitorFrame"/>: the call feeds', the presence feed's and the operator desk's.</summary>
    public static bool IsMonitorMessage(this PbxMessageType type) => type.IsCallMessage() || type.IsPresenceMessage() || type == PbxMessageType.ActionResult;

    /// <summary>A message of the presence feed (PbxApi).</summary>
    public static bool IsPresenceMessage(this PbxMessageType type) =>
        type is PbxMessageType.SubscribePresenceResult or PbxMessageType.PresenceState or PbxMessageType.PresenceUpdate;
}

/// <summary>One parsed PBX frame: the message type and the fields the board uses.</summary>
internal readonly record struct PbxFrame(
    PbxMessageType Type,
    string? Challenge = null,
    bool LoginOk = false,
    string? LoginError = null,
    string? Guid = null,
    bool IsUpdate = false,
    bool IsDelete = false,
    PbxUser? User = null);
