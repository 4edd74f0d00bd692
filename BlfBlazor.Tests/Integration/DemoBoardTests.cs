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

        Assert.Equal(4, stylesheets.Count); // app.css, tiles.css, queues.css, the scoped styles
        foreach (var asset in stylesheets.Append("_framework/blazor.web.js"))
        {
            using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_demo_looks_like_a_real_PBX_calls_behind_busy_lamps_forwarding_and_no_objects_as_people()
    {
        using var app = BoardApp.StartWith(new Dictionary<string, string?>());

        // Lamps and calls arrive in separate frames, so a moment can show a lamp before its call: wait for a
        // state where every busy or ringing lamp has its call. A lamp with no call behind it never gets there.
        var board = await app.Directory.WaitForAsync(
            s => s.Status.State == ConnectionState.Live
                && s.Users.Count(u => u.Lamp is LampState.Busy or LampState.Ringing) >= 3
                && s.Users.Where(u => u.Lamp is LampState.Busy or LampState.Ringing).All(u => u.Activity?.Calls.Count > 0),
            "every busy or ringing lamp of the demo with its call");
        board = await app.Directory.WaitForAsync(s => s.Users.Any(u => u.Forwarding.Count > 0), "a forwarded colleague in the demo");

        // The demo PBX lists a queue, a trunk and a Boolean object among its users: none is a person.
        string[] objects = ["4ece4ece4ece4ece4ece4ece4ece4ece", "7a0c7a0c7a0c7a0c7a0c7a0c7a0c7a0c", "b001b001b001b001b001b001b001b001"];
        Assert.DoesNotContain(board.Users, u => objects.Contains(u.Guid));
        Assert.Equal(40, board.Users.Length);
        Assert.Equal("on", app.Directory.Monitoring.Forwarding);
    }
}
