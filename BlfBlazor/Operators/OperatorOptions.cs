namespace BlfBlazor.Operators;

/// <summary>The sign-in and operator keys of the <c>Blf</c> section.</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Blf";

    /// <summary>Where ASP.NET Core's OpenID Connect handler reads its settings (Authority, ClientId, ClientSecret).</summary>
    public const string OpenIdConnectSection = "Authentication:Schemes:OpenIdConnect";

    /// <summary>Every page and the circuit require a signed-in user (needs OpenID Connect).</summary>
    public bool RequireSignIn { get; set; }

    /// <summary>Who may act, and from which phone.</summary>
    public IReadOnlyList<OperatorEntry> Operators { get; set; } = [];

    /// <summary>
    /// The claim whose value names an operator (in <see cref="Operators"/>, or as the h323 of their phone).
    /// <c>sub</c> by default: the provider's fixed id of the person. A <c>preferred_username</c> can be
    /// changed (at some providers by the person), and the new name would inherit someone else's rights.
    /// </summary>
    public string OperatorClaim { get; set; } = "sub";

    /// <summary>How long a sign-in lasts from the moment of signing in (not sliding): an operator's shift.</summary>
    public double SignInHours { get; set; } = 10;

    /// <summary>How often an open board asks the roster again whether its viewer may still act.</summary>
    public TimeSpan RightsRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The claim whose value is a signed-in person's own PBX user (its <c>h323</c>, else its <c>cn</c>), for
    /// My calls. Empty by default: an operator's phone, else the PBX user whose h323 is the person's
    /// <see cref="OperatorClaim"/> value (the operator role's mapping).
    /// </summary>
    public string? PhoneClaim { get; set; }

    /// <summary>Everyone with this role is an operator; their phone is the PBX user whose h323 is their claim value.</summary>
    public string? OperatorRole { get; set; }
}

/// <summary>One named operator: <c>{ "User": "&lt;claim value&gt;", "Phone": "&lt;PBX cn&gt;" }</c>.</summary>
public sealed class OperatorEntry
{
    public string User { get; set; } = string.Empty;

    public string Phone { get; set; } = string.Empty;
}
