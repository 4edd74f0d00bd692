using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Store;

/// <summary>Wrong store, missed-call and personal-board settings stop the app, started as its own process as an admin would, with a message naming the key.</summary>
[Trait("Category", "Integration")]
public sealed class StoreStartupTests
{
    [Theory]
    [InlineData("Blf__Store__Provider", "PostgreSql", "ConnectionStrings:Blf")]
    [InlineData("Blf__Store__MaxPendingWrites", "0", "Blf:Store:MaxPendingWrites")]
    [InlineData("Blf__MissedCalls__Days", "0", "Blf:MissedCalls:Days")]
    [InlineData("Blf__PersonalBoards__MaxPersons", "0", "Blf:PersonalBoards:MaxPersons")]
    [InlineData("ConnectionStrings__Blf", "Data Source", "ConnectionStrings:Blf")]
    public async Task The_app_does_not_start_with_a_wrong_key_and_names_it(string variable, string value, string key)
    {
        var outcome = await AppStartup.RunUntilExitAsync(new Dictionary<string, string> { [variable] = value });

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
    }
}
