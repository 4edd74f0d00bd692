using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>What a tile says about calls and presence, in words, attributes and its detail.</summary>
[Trait("Category", "Component")]
public class CallTileTests : BunitContext
{
    private const long Start = 1_790_000_000_000;

    public CallTileTests()
    {
        Services.AddLocalization();
    }

    [Fact]
    public void A_ringing_tile_says_who_is_calling_and_since_when()
    {
        var tile = Tile(LampState.Ringing, [Call(1, CallDirection.In, CallPhase.Ringing, new CallPeer(null, "0171 2345678", false))]);

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("1", root.GetAttribute("data-calls"));
        Assert.Equal("in", root.GetAttribute("data-call-direction"));
        Assert.Equal("0171 2345678", root.GetAttribute("data-call-peer"));
        Assert.Null(root.GetAttribute("data-call-hold"));
        Assert.Equal("← 0171 2345678", tile.Find(".tile-call").TextContent.Trim());
        Assert.Equal(Start.ToString(CultureInfo.InvariantCulture), tile.Find(".tile-call .tile-since").GetAttribute("data-since"));
    }

    [Fact]
    public void A_busy_tile_with_a_held_call_and_a_new_one_ringing_shows_the_ringing_one_and_plus_one()
    {
        var tile = Tile(LampState.Ringing,
        [
            Call(2, CallDirection.In, CallPhase.Ringing, new CallPeer("Anna Berger", null, true)),
            Call(1, CallDirection.Out, CallPhase.Held, new CallPeer(null, "0711 4711", false)),
        ]);

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("2", root.GetAttribute("data-calls"));
        Assert.Equal("Anna Berger", root.GetAttribute("data-call-peer"));
        Assert.Equal("← Anna Berger +1", tile.Find(".tile-call").TextContent.Trim());

        // The detail has every call, with direction, phase and peer.
        var lines = tile.FindAll("[data-testid=blf-tile-detail] li").Select(li => li.TextContent).ToList();
        Assert.Equal(["Call from Anna Berger, ringing", "Call to 0711 4711, on hold"], lines);
        Assert.Equal("0", root.GetAttribute("tabindex"));
        Assert.Equal(tile.Find("[data-testid=blf-tile-detail]").Id, root.GetAttribute("aria-describedby"));
    }

    [Fact]
    public void A_held_call_says_so_in_words_and_attribute()
    {
        var tile = Tile(LampState.Busy, [Call(1, CallDirection.Out, CallPhase.Held, new CallPeer(null, "0711 4711", false))]);

        Assert.Equal("true", tile.Find("[data-testid=blf-tile]").GetAttribute("data-call-hold"));
        Assert.Equal("out", tile.Find("[data-testid=blf-tile]").GetAttribute("data-call-direction"));
        Assert.Equal("→ 0711 4711 on hold", tile.Find(".tile-call").TextContent.Trim());
    }

    [Fact]
    public void A_transferred_call_says_who_transferred_it_in_the_detail()
    {
        var call = Call(1, CallDirection.In, CallPhase.Talking, new CallPeer(null, "0711 4711", false)) with { ViaKind = CallVia.Transferred, Via = "Clara Dorn" };

        var tile = Tile(LampState.Busy, [call]);

        Assert.Equal("Call from 0711 4711, talking, transferred by Clara Dorn", tile.Find("[data-testid=blf-tile-detail] li").TextContent);
    }

    [Fact]
    public void A_peer_the_settings_hide_leaves_no_trace_and_an_external_one_only_says_external()
    {
        var hidden = Tile(LampState.Busy, [Call(1, CallDirection.In, CallPhase.Talking, null)]);
        Assert.Null(hidden.Find("[data-testid=blf-tile]").GetAttribute("data-call-peer"));
        Assert.Equal("←", hidden.Find(".tile-call").TextContent.Trim());
        Assert.Equal("Incoming call, talking", hidden.Find("[data-testid=blf-tile-detail] li").TextContent);

        var external = Tile(LampState.Busy, [Call(1, CallDirection.In, CallPhase.Talking, new CallPeer(null, null, false))]);
        Assert.Null(external.Find("[data-testid=blf-tile]").GetAttribute("data-call-peer"));
        Assert.Equal("← external", external.Find(".tile-call").TextContent.Trim());
    }

    [Fact]
    public void Do_not_disturb_is_a_badge_beside_a_green_lamp_with_the_note_in_the_detail()
    {
        var tile = Tile(LampState.Idle, [], new UserPresence("dnd", "back at 14:00"));

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("idle", root.GetAttribute("data-state"));
        Assert.Equal("dnd", root.GetAttribute("data-presence"));
        Assert.Equal("back at 14:00", root.GetAttribute("data-presence-note"));
        Assert.Equal("Do not disturb · back at 14:00", tile.Find(".tile-presence").TextContent);
        Assert.Equal("Do not disturb: back at 14:00", tile.Find(".tile-detail-presence").TextContent);
        Assert.Null(root.GetAttribute("data-calls"));
    }

    [Fact]
    public void An_activity_word_the_board_does_not_know_is_shown_as_the_pbx_sent_it()
    {
        var tile = Tile(LampState.Idle, [], new UserPresence("on-the-phone", null));

        Assert.Equal("on-the-phone", tile.Find(".tile-presence").TextContent);
        Assert.Equal("on-the-phone", tile.Find("[data-testid=blf-tile]").GetAttribute("data-presence"));
    }

    [Fact]
    public void Available_and_unknown_presence_carry_no_presence_attribute()
    {
        var available = Tile(LampState.Idle, [], new UserPresence("", null)).Find("[data-testid=blf-tile]");
        Assert.Null(available.GetAttribute("data-presence"));
        Assert.Null(available.GetAttribute("tabindex")); // nothing more to see: not a tab stop
        Assert.Null(Tile(LampState.Idle, [], presence: null).Find("[data-testid=blf-tile]").GetAttribute("data-presence"));
    }

    [Fact]
    public void In_German_the_detail_and_the_badge_speak_German()
    {
        // Built for German boards on a thread that speaks English: the language is the one asked for.
        var tile = Tile(LampState.Busy, [Call(1, CallDirection.Out, CallPhase.Held, new CallPeer("Anna Berger", null, true))], new UserPresence("away", "ab 14 Uhr"), language: "de");

        Assert.Equal("→ Anna Berger gehalten", tile.Find(".tile-call").TextContent.Trim());
        Assert.Equal("Anruf an Anna Berger, gehalten", tile.Find("[data-testid=blf-tile-detail] li").TextContent);
        Assert.Equal("Abwesend · ab 14 Uhr", tile.Find(".tile-presence").TextContent);
    }

    [Fact]
    public void A_stale_tile_keeps_its_last_known_calls_and_differs_from_the_live_one_only_by_being_marked()
    {
        CallLeg[] calls = [Call(1, CallDirection.In, CallPhase.Talking, new CallPeer("Anna Berger", null, true))];
        var stale = Tile(LampState.Busy, calls, stale: true);
        var live = Tile(LampState.Busy, calls);

        Assert.Equal("true", stale.Find("[data-testid=blf-tile]").GetAttribute("data-stale"));
        Assert.Equal("← Anna Berger", stale.Find(".tile-call").TextContent.Trim());

        // The stale look (no timer counting on, "(last known)") is tiles.css's, from data-stale; board.js
        // marks a tile stale the same way when the page loses its server (ServerLossTests).
        var marked = stale.Find("[data-testid=blf-tile]");
        Assert.Equal($"blf-detail-a1 {LampTile.StaleNoteId}", marked.GetAttribute("aria-describedby"));
        marked.RemoveAttribute("data-stale");
        marked.SetAttribute("aria-describedby", "blf-detail-a1");
        Assert.Equal(live.Find("[data-testid=blf-tile]").OuterHtml, marked.OuterHtml);
    }

    private static CallLeg Call(uint handle, CallDirection direction, CallPhase phase, CallPeer? peer) =>
        new(handle, direction, phase, peer, CallVia.None, null, Start);

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Tile(LampState state, CallLeg[] calls, UserPresence? presence = null, bool stale = false, string language = "en")
    {
        var user = new PbxUser("a1", "anna", "Anna Berger", "101", null, null, null,
            RegisteredDevices: state == LampState.Offline ? 0 : 1,
            Channel: state == LampState.Busy ? 1 : 0,
            Alert: state == LampState.Ringing ? 1 : 0)
        {
            Activity = calls.Length == 0 && presence is null ? null : new UserActivity(calls, presence),
        };
        var html = new LampTile().Html(user, stale, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo(language)));
        return Render(builder => builder.AddContent(0, html));
    }
}
