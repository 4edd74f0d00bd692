using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>With nothing configured, the app shows a live demo board from the built-in simulator.</summary>
[Trait("Category", "Integration")]
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
        Assert.Equal("connecting", page.Connection); // live only once its circuit has rendered
        Assert.Contains("Demo", page.Text, StringComparison.Ordinal);
        Assert.Equal(board.Users.Length, page.Tiles.Count);
    }

    [Fact]
    public async Task Outside_development_the_page_still_gets_its_script_and_styles()
    {
        using var app = BoardApp.StartWith(new Dictionary<string, string?> { ["Blf:Demo"] = "true" }, environment: "Production");
        using var http = app.CreateHttpClient();

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var stylesheets = System.Text.RegularExpressions.Regex.Matches(html, "<link rel=\"stylesheet\" href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, stylesheets.Count); // app.css, tiles.css, the scoped styles
        foreach (var asset in stylesheets.Append("_framework/blazor.web.js"))
        {
            using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }
}
