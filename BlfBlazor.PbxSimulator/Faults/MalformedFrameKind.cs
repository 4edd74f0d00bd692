namespace BlfBlazor.PbxSimulator.Faults;

/// <summary>
/// The kinds of malformed frame SendMalformedFramesAsync (<see cref="SimulatorFaultInjection"/>) produces. None of
/// them is a UserInfo, InitializeResult or AppLoginResult that a correct client would apply; frames
/// that name a user claim a lamp other than the user's current one, so a client that applies one shows it.
/// </summary>
public enum MalformedFrameKind
{
    /// <summary>Text that is not JSON (truncated, trailing garbage, unquoted keys, single quotes, NaN, comments, random ASCII); always valid UTF-8.</summary>
    InvalidJson,

    /// <summary>Valid JSON whose root is not an object: arrays (also of valid-looking UserInfos), strings, numbers, true, false, null.</summary>
    NotAnObject,

    /// <summary>A UserInfo for an existing user with exactly one property of the wrong type (regs, channel, alert, guid, dn, cn, e164, update or mt).</summary>
    WrongPropertyType,

    /// <summary>A UserInfo without guid, or with guid "".</summary>
    UserInfoWithoutGuid,

    /// <summary>A well-formed object for an existing user whose mt the client does not act on ("UserInfoX", "userinfo", "CallInfo", "PresenceUpdate", "", none).</summary>
    UnknownMessageType,

    /// <summary>A UserInfo for an existing user with an extra property nested 64 to 2000 levels deep.</summary>
    DeeplyNested,

    /// <summary>A UserInfo for an existing user whose dn or cn has 100,000 characters (or 20,000 multi-byte ones).</summary>
    HugeString,

    /// <summary>A binary frame: random bytes, or the UTF-8 of a valid-looking UserInfo.</summary>
    Binary,

    /// <summary>A 1.2 MiB text frame (a UserInfo padded in an unknown property), over a 1 MiB frame cap; at most 1 in 500 frames.</summary>
    Oversized,
}
