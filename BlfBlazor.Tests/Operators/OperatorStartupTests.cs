using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Operators;

/// <summary>Wrong operator settings stop the app, started as its own process as an admin would, with a message naming the key.</summary>
[Trait("Category", "Integration")]
public sealed class OperatorStartupTests
{
    [Theory]
    [InlineData("Blf__RequireSignIn", "true", "Blf:RequireSignIn")]
    [InlineData("Blf__Operators__0__Phone", "", "Blf:Operators:0:Phone")]
    public async Task The_app_does_not_start_with_a_wrong_key_and_names_it(string variable, string value, string key)
    {
        var environment = new Dictionary<string, string> { ["Blf__Operators__0__User"] = "anna", ["Blf__Operators__0__Phone"] = "Anna Berger", [variable] = value };

        var outcome = await AppStartup.RunUntilExitAsync(environment);

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("OptionsValidationException", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
    }
}
