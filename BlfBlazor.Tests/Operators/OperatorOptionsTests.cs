using BlfBlazor.Operators;
using Microsoft.Extensions.Configuration;

namespace BlfBlazor.Tests.Operators;

/// <summary>Wrong sign-in and operator settings are refused with a message naming the key (the app's start: <see cref="OperatorStartupTests"/>).</summary>
[Trait("Category", "Unit")]
public sealed class OperatorOptionsTests
{
    private const string Authority = "Authentication:Schemes:OpenIdConnect:Authority";
    private const string ClientId = "Authentication:Schemes:OpenIdConnect:ClientId";

    [Fact]
    public void Sign_in_with_named_operators_and_a_role_is_accepted()
    {
        var result = Validate(
            new OperatorOptions { RequireSignIn = true, OperatorRole = "switchboard", Operators = [new OperatorEntry { User = "anna", Phone = "Anna Berger" }] },
            new() { [Authority] = "https://login.example.com/realms/staff", [ClientId] = "blf" });

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }

    [Fact]
    public void A_loopback_provider_may_use_plain_http_but_no_other_may()
    {
        Assert.True(Validate(new OperatorOptions(), new() { [Authority] = "http://127.0.0.1:5000/", [ClientId] = "blf" }).Succeeded);

        var result = Validate(new OperatorOptions(), new() { [Authority] = "http://login.example.com/", [ClientId] = "blf" });

        Assert.StartsWith(Authority, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void An_authority_needs_a_client_id()
    {
        var result = Validate(new OperatorOptions(), new() { [Authority] = "https://login.example.com/" });

        Assert.StartsWith(ClientId, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_listed_operator_needs_a_user_and_a_phone()
    {
        var result = Validate(
            new OperatorOptions { Operators = [new OperatorEntry { User = "anna", Phone = "Anna Berger" }, new OperatorEntry { User = "", Phone = " " }] },
            new() { [Authority] = "https://login.example.com/", [ClientId] = "blf" });

        Assert.Equal(["Blf:Operators:1:User", "Blf:Operators:1:Phone"], result.Failures!.Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Theory]
    [InlineData(0, 1, "Blf:SignInHours")]
    [InlineData(169, 1, "Blf:SignInHours")]
    [InlineData(10, 0, "Blf:RightsRecheckInterval")]
    [InlineData(10, -1, "Blf:RightsRecheckInterval")]
    public void A_sign_in_lifetime_and_a_rights_recheck_interval_must_make_sense(double hours, int recheckMinutes, string key)
    {
        var result = Validate(new OperatorOptions { SignInHours = hours, RightsRecheckInterval = TimeSpan.FromMinutes(recheckMinutes) }, []);

        Assert.StartsWith(key + " ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void An_operator_is_named_by_the_providers_fixed_id_by_default_not_by_a_name_that_can_change()
    {
        Assert.Equal("sub", new OperatorOptions().OperatorClaim);
        Assert.StartsWith("Blf:OperatorClaim must name a claim (default sub", Assert.Single(Validate(new OperatorOptions { OperatorClaim = " " }, []).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sign_in_lasts_a_shift_and_rights_are_rechecked_every_minute_by_default()
    {
        Assert.Equal(10, new OperatorOptions().SignInHours);
        Assert.Equal(TimeSpan.FromMinutes(1), new OperatorOptions().RightsRecheckInterval);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?q=anna&sort=state")]
    [InlineData("/?q=M%C3%BCller&group=sales")]
    [InlineData("/?q=a%2Fb")]
    [InlineData("/?kiosk=true#top")]
    public void Sign_in_returns_to_a_page_of_the_board(string returnUrl)
    {
        Assert.Equal(returnUrl, OperatorSignInExtensions.LocalOrRoot(returnUrl));
    }

    /// <summary>Every form ASP.NET Core's IsLocalUrl refuses, as the query binding hands it over (decoded once), and encoded once more.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("evil.example")]
    [InlineData(" /x")]
    [InlineData("~/x")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\0/evil.example")]
    [InlineData("/\u007f/evil.example")]
    [InlineData("/\u0085/evil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%2f/evil.example")]
    [InlineData("/%5C/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0D%0A/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/?q=x%0D%0ASet-Cookie:%20a=b")]
    public void Sign_in_never_sends_anyone_to_another_site(string? returnUrl)
    {
        Assert.Equal("/", OperatorSignInExtensions.LocalOrRoot(returnUrl));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(OperatorOptions options, Dictionary<string, string?> settings) =>
        new OperatorOptionsValidator(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).Validate(null, options);
}
