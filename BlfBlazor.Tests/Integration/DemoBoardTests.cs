using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>With nothing configured, the app shows a live demo board from the built-in simulator.</summary>
public sealed class DemoBoardTests
{
    [Fact]
    public async Task Without_a_pbx_the_board_goes_live_against_the_demo_pbx_and_says_demo()
    {
        using var app = BoardApp.StartWith(new Dictionary<string, string?>());
        using var http = app.CreateHttpClient();

        var board = await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.Live && s.Users.Length > 0, "the live demo board");

        Assert.True(board.Status.IsDemo);
        var page = await BoardHtml.FetchAsync(http);
        Assert.Equal("live", page.Connection);
        Assert.Contains("Demo", page.Text, StringComparison.Ordinal);
        Assert.Equal(board.Users.Length, page.Tiles.Count);
    }
}
