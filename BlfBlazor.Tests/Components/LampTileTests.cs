using BlfBlazor.Components.Board;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

public class LampTileTests : BunitContext
{
    public LampTileTests()
    {
        Services.AddMetrics();
        Services.AddSingleton(new UserDirectory(TimeProvider.System, new PbxDescription("pbx.test", IsDemo: false)));
        Services.AddSingleton<BlfMetrics>();
        Services.AddLocalization();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Theory]
    [InlineData(LampState.Offline, "offline", "Offline", "circle")]
    [InlineData(LampState.Idle, "idle", "Free", "circle")]
    [InlineData(LampState.Busy, "busy", "Busy", "rect")]
    [InlineData(LampState.Ringing, "ringing", "Ringing", "path")]
    public void Each_lamp_state_has_its_colour_class_its_word_and_its_shape(LampState state, string token, string word, string shape)
    {
        var tile = Render<LampTile>(p => p
            .Add(t => t.Guid, "a1")
            .Add(t => t.Name, "Anna Berger")
            .Add(t => t.Number, "101")
            .Add(t => t.State, state));

        var li = tile.Find("[data-testid=blf-tile]");
        Assert.Equal(token, li.GetAttribute("data-state"));
        Assert.Equal("a1", li.GetAttribute("data-guid"));
        Assert.Contains($"tile--{token}", li.ClassList);
        Assert.Equal(word, tile.Find(".tile-state").TextContent);
        Assert.Contains("Anna Berger", li.TextContent, StringComparison.Ordinal);
        Assert.Contains("101", li.TextContent, StringComparison.Ordinal);
        Assert.NotNull(tile.Find($"svg.lamp--{token} {shape}"));
    }

    [Fact]
    public void Offline_and_idle_differ_by_shape_not_only_colour()
    {
        var offline = Render<LampTile>(p => p.Add(t => t.Guid, "a").Add(t => t.Name, "A").Add(t => t.State, LampState.Offline));
        var idle = Render<LampTile>(p => p.Add(t => t.Guid, "b").Add(t => t.Name, "B").Add(t => t.State, LampState.Idle));

        Assert.Equal("none", offline.Find("circle").GetAttribute("fill"));
        Assert.Equal("currentColor", idle.Find("circle").GetAttribute("fill"));
    }

    [Fact]
    public void A_stale_tile_says_it_shows_the_last_known_state()
    {
        var tile = Render<LampTile>(p => p
            .Add(t => t.Guid, "a1")
            .Add(t => t.Name, "Anna Berger")
            .Add(t => t.State, LampState.Busy)
            .Add(t => t.Stale, true));

        Assert.Contains("tile--stale", tile.Find("li").ClassList);
        Assert.Equal("Busy (last known)", tile.Find(".tile-state").TextContent);
    }

    [Fact]
    public void Markup_in_a_name_is_shown_as_text()
    {
        var tile = Render<LampTile>(p => p
            .Add(t => t.Guid, "a1")
            .Add(t => t.Name, "<img src=x onerror=alert(1)>Eve")
            .Add(t => t.State, LampState.Idle));

        Assert.Empty(tile.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>Eve", tile.Find(".tile-name").TextContent);
    }
}
