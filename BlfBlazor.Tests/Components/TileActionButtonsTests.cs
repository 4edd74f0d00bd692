using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>
/// An operator's buttons on a colleague's tile: put through and announce say where a forwarded colleague's
/// calls go, and their desk phone is offered past the forwarding only while there is one; presence and
/// forwarding open their menus. Names say which is which, in English and German, by name and never by pronoun.
/// </summary>
[Trait("Category", "Component")]
public class TileActionButtonsTests : BunitContext
{
    public TileActionButtonsTests()
    {
        Services.AddLocalization();
    }

    private static Diversion ToMobile => new(DiversionKind.Always, null, "0171 2345678", IsExternal: true, IsConditional: false);

    [Fact]
    public void Without_forwarding_there_is_no_desk_choice_and_the_names_are_plain()
    {
        var tile = Tile("en");

        Assert.Empty(tile.FindAll("[data-testid=blf-action-transfer-desk]"));
        Assert.Empty(tile.FindAll("[data-testid=blf-action-announce-desk]"));
        Assert.Equal("Put the call through to Anna Berger", Label(tile, "transfer"));
        Assert.Equal("Announce the call to Anna Berger", Label(tile, "announce"));
        Assert.Equal("Set Anna Berger's presence", Label(tile, "presence"));
        Assert.Equal("Set or clear Anna Berger's forwarding", Label(tile, "forward"));
    }

    [Fact]
    public void With_forwarding_put_through_says_where_the_call_goes_and_the_desk_is_offered_past_it()
    {
        var tile = Tile("en", ToMobile);

        Assert.Equal("Put the call through to Anna Berger; Anna Berger's calls go to 0171 2345678", Label(tile, "transfer"));
        Assert.Equal("Announce the call to Anna Berger; Anna Berger's calls go to 0171 2345678", Label(tile, "announce"));
        Assert.Equal("Put the caller through to Anna Berger's desk phone, past the forwarding", Label(tile, "transfer-desk"));
        Assert.Equal("Announce the call at Anna Berger's desk phone, past the forwarding", Label(tile, "announce-desk"));
        Assert.Equal(
            ["transfer", "transfer-desk", "announce", "announce-desk", "call", "presence", "take-message", "forward"],
            tile.FindAll(".tile-actions button").Select(b => b.GetAttribute("data-action")));
    }

    [Fact]
    public void In_german_the_names_say_the_same()
    {
        var tile = Tile("de", ToMobile);

        Assert.Equal("Anruf zu Anna Berger durchstellen; Anrufe für Anna Berger gehen an 0171 2345678", Label(tile, "transfer"));
        Assert.Equal("Anrufer zum Tischtelefon von Anna Berger durchstellen, an der Umleitung vorbei", Label(tile, "transfer-desk"));
        Assert.Equal("Anruf am Tischtelefon von Anna Berger ankündigen, an der Umleitung vorbei", Label(tile, "announce-desk"));
        Assert.Equal("Präsenz von Anna Berger setzen", Label(tile, "presence"));
    }

    [Theory]
    [InlineData("en", true, "Put the call through to Anna Berger; when busy, Anna Berger's calls go to an external number")]
    [InlineData("en", false, "Put the call through to Anna Berger; when busy, Anna Berger's calls are forwarded")]
    [InlineData("de", true, "Anruf zu Anna Berger durchstellen; bei besetzt gehen Anrufe für Anna Berger an eine externe Nummer")]
    public void A_destination_the_board_may_not_show_is_an_external_number_or_left_out(string language, bool external, string label)
    {
        var tile = Tile(language, new Diversion(DiversionKind.Busy, null, null, external, IsConditional: false));

        Assert.Equal(label, Label(tile, "transfer"));
        Assert.Single(tile.FindAll("[data-testid=blf-action-transfer-desk]"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public void No_name_uses_a_pronoun(string language)
    {
        var tile = Tile(language, ToMobile);

        string[] pronouns = language == "en" ? ["her", "his", "him", "she", "he", "their"] : ["ihr", "ihre", "sein", "seine", "sie", "er"];
        foreach (var label in tile.FindAll(".tile-actions button").Select(b => b.GetAttribute("aria-label")!))
        {
            var words = label.Split([' ', ',', ';', '\''], StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(words, w => pronouns.Contains(w, StringComparer.Ordinal));
        }
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Tile(string language, params Diversion[] forwarding)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var user = new PbxUser("g-anna", "anna", "Anna Berger", "101", "anna", null, null, RegisteredDevices: 1, Channel: 0, Alert: 0) { Forwarding = forwarding };
        var html = new LampTile().Html(user, stale: false, CultureTexts<BoardText>.In(culture), CultureTexts<ActionText>.In(culture));
        return Render(builder => builder.AddContent(0, html));
    }

    private static string? Label(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> tile, string action) =>
        tile.Find($"[data-testid=blf-action-{action}]").GetAttribute("aria-label");
}
