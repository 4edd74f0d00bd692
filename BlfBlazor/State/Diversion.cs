namespace BlfBlazor.State;

/// <summary>When a user's calls go elsewhere: the PBX's <c>cfu</c>, <c>cfb</c> and <c>cfnr</c>.</summary>
public enum DiversionKind
{
    /// <summary><c>cfu</c>: every call, at once; the user's phones do not ring.</summary>
    Always,

    /// <summary><c>cfb</c>: while the user is busy.</summary>
    Busy,

    /// <summary><c>cfnr</c>: after the user's phones rang unanswered for a while.</summary>
    NoAnswer,
}

/// <summary>
/// One call diversion of a user as the board may show it. The privacy level (<c>Blf:CallDetails</c>)
/// was applied where the PBX's row was read: what it hides is not here.
/// </summary>
/// <param name="Kind">Which diversion.</param>
/// <param name="TargetGuid">The user it goes to, when the destination is one of the PBX's users (and may be shown).</param>
/// <param name="Shown">The destination as shown: the user's name, or the number; null when it may not be shown.</param>
/// <param name="IsExternal">The destination is no user of the PBX (shown as "an external number" when <paramref name="Shown"/> is null).</param>
/// <param name="IsConditional">It applies only while a Boolean object is on (or off) or for some callers.</param>
public sealed record Diversion(DiversionKind Kind, string? TargetGuid, string? Shown, bool IsExternal, bool IsConditional)
{
    /// <summary>The contract's word for the kind (<c>data-forward</c>): <c>always</c>, <c>busy</c>, <c>no-answer</c>.</summary>
    public string Token => Kind switch
    {
        DiversionKind.Always => "always",
        DiversionKind.Busy => "busy",
        _ => "no-answer",
    };
}

/// <summary>
/// What the PBX's user table (PbxTableUsers) says of one object, as far as the board uses it: its type
/// and its diversions, in the table's order. Names and numbers stay with the reader, which resolved the
/// destinations with them.
/// </summary>
/// <param name="Pseudo">The object's type (<c>""</c> for a plain user, <c>executive</c>, <c>waiting</c>, …), already reduced to a word.</param>
public sealed record UserTableRow(string Guid, string Pseudo, IReadOnlyList<Diversion> Diversions)
{
    /// <summary>The PBX groups (<c>grps</c>) the object is in now; a dynamic member logged out is not.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}
