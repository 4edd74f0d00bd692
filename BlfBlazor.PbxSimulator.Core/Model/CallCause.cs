namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>An ISDN cause: why a leg ended, as a CallInfo's <c>info</c> reports it.</summary>
internal readonly record struct CallCause(int Code, string Text)
{
    public static CallCause NormalClearing { get; } = new(16, "Normal call clearing");

    public static CallCause NonSelectedUser { get; } = new(26, "Non-selected user clearing");

    public static CallCause Unallocated { get; } = new(1, "Unallocated (unassigned) number");

    public static CallCause UserBusy { get; } = new(17, "User busy");

    public static CallCause NoAnswer { get; } = new(19, "No answer from user (user alerted)");

    /// <summary>The cause a UserClear asked for, with the text of the common ones.</summary>
    public static CallCause Of(int code) => code switch
    {
        1 => Unallocated,
        16 => NormalClearing,
        17 => UserBusy,
        21 => new(21, "Call rejected"),
        26 => NonSelectedUser,
        _ => new(code, "Cause " + code.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}
