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
