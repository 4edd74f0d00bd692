using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>Refuses at start what would otherwise only show when someone tries to sign in or act; every message names its key.</summary>
internal sealed class OperatorOptionsValidator(IConfiguration configuration) : IValidateOptions<OperatorOptions>
{
    private const string Authority = $"{OperatorOptions.OpenIdConnectSection}:Authority";
    private const string ClientId = $"{OperatorOptions.OpenIdConnectSection}:ClientId";

    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = new List<string>();
        var authority = configuration[Authority];
        if (string.IsNullOrWhiteSpace(authority))
        {
            if (options.RequireSignIn)
            {
                failures.Add($"Blf:RequireSignIn needs OpenID Connect: set {Authority}, {ClientId} and {OperatorOptions.OpenIdConnectSection}:ClientSecret.");
            }
        }
        else
        {
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                failures.Add($"{Authority} '{authority}' is not an https:// URL (plain http is allowed on loopback only), e.g. https://login.microsoftonline.com/<tenant>/v2.0.");
            }

            if (string.IsNullOrWhiteSpace(configuration[ClientId]))
            {
                failures.Add($"{ClientId} is required when {Authority} is set: the client (application) id registered at the identity provider.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.OperatorClaim))
        {
            failures.Add("Blf:OperatorClaim must name a claim (default sub, the provider's fixed id of a person).");
        }

        if (options.SignInHours is not (> 0 and <= 168))
        {
            failures.Add($"Blf:SignInHours must be more than 0 and at most 168 (a week); it is {options.SignInHours}. A sign-in lasts this long from signing in, e.g. 10 for a shift.");
        }

        if (options.RightsRecheckInterval <= TimeSpan.Zero)
        {
            failures.Add("Blf:RightsRecheckInterval must be positive, e.g. 00:01:00: how often an open board checks that its viewer may still act.");
        }

        for (var i = 0; i < options.Operators.Count; i++)
        {
            var entry = options.Operators[i];
            if (string.IsNullOrWhiteSpace(entry.User))
            {
                failures.Add($"Blf:Operators:{i}:User is required: the operator's {options.OperatorClaim} claim value.");
            }

            if (string.IsNullOrWhiteSpace(entry.Phone))
            {
                failures.Add($"Blf:Operators:{i}:Phone is required: the cn of the PBX user whose phone '{entry.User}' acts with.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
