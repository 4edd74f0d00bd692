using Microsoft.Extensions.Options;

namespace BlfBlazor.MissedCalls;

/// <summary>Who sees missed calls on tiles (<c>Blf:MissedCalls:Visible</c>).</summary>
public enum MissedCallsVisibility
{
    /// <summary>Signed-in operators only: a wall screen shows nobody's missed calls.</summary>
    Operators,

    /// <summary>Anyone signed in.</summary>
    SignedIn,

    /// <summary>Every viewer, anonymous ones too.</summary>
    Everyone,

    /// <summary>Nobody: missed calls are still kept, shown nowhere.</summary>
    Off,
}

/// <summary><c>Blf:MissedCalls</c>: how long missed calls are kept and who sees them.</summary>
public sealed class MissedCallOptions
{
    public const string SectionName = "Blf:MissedCalls";

    public const int MaxDays = 366;

    /// <summary>Days a missed call is kept; older ones are pruned from memory and the store.</summary>
    public int Days { get; set; } = 14;

    public MissedCallsVisibility Visible { get; set; } = MissedCallsVisibility.Operators;

    public TimeSpan Retention => TimeSpan.FromDays(Days);

    /// <summary>Whether a board of this viewer shows missed calls.</summary>
    public bool ShownTo(bool signedIn, bool isOperator) => Visible switch
    {
        MissedCallsVisibility.Everyone => true,
        MissedCallsVisibility.SignedIn => signedIn,
        MissedCallsVisibility.Operators => isOperator,
        _ => false,
    };
}

/// <summary>Stops start-up naming the key when the retention makes no sense.</summary>
internal sealed class MissedCallOptionsValidator : IValidateOptions<MissedCallOptions>
{
    public ValidateOptionsResult Validate(string? name, MissedCallOptions options) =>
        options.Days is < 1 or > MissedCallOptions.MaxDays
            ? ValidateOptionsResult.Fail($"{MissedCallOptions.SectionName}:{nameof(MissedCallOptions.Days)} is {options.Days}; keep missed calls 1 to {MissedCallOptions.MaxDays} days.")
            : ValidateOptionsResult.Success;
}
