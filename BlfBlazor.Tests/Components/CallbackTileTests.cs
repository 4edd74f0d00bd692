using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>
/// A tile's callbacks as the public contract names them (<c>data-callbacks</c>, <c>blf-callback</c>), for the
/// viewers that see missed calls; the buttons (done, call back, take a message) only on operators' boards.
/// </summary>
[Trait("Category", "Component")]
public sealed class CallbackTileTests : BunitContext
{
    private static readonly long s_at = new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly UserCallbacks s_two = new(
    [
        new Callback("cb-2", "g-bob", new CallPeer("Mr Keller", "0711 4711", IsInternal: false), "About the invoice", CallbackUrgency.Urgent, s_at, "olivia"),
        new Callback("cb-1", "g-bob", new CallPeer("Ms Lang", null, IsInternal: false), "", CallbackUrgency.Normal, s_at - 60_000, "olivia"),
    ]);

    public CallbackTileTests() => Services.AddLocalization();

    [Fact]
    public void An_operators_tile_counts_the_open_callbacks_and_offers_done_and_call_back_where_the_number_is_known()
    {
        var tile = Tile(s_two, shown: true, operators: true);

        Assert.Equal("2", tile.Find("[data-testid=blf-tile]").GetAttribute("data-callbacks"));
        var items = tile.FindAll("[data-testid=blf-callback-list] [data-testid=blf-callback]");
        Assert.Equal([("cb-2", "open", "urgent"), ("cb-1", "open", "normal")], items.Select(i => (i.GetAttribute("data-callback"), i.GetAttribute("data-callback-state"), i.GetAttribute("data-callback-urgency"))));
        Assert.Contains("Urgent: please call back Mr Keller (0711 4711): About the invoice", items[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Mark the callback to Mr Keller (0711 4711) done", items[0].QuerySelector("[data-testid=blf-callback-done]")?.GetAttribute("aria-label"));
        Assert.Equal("cb-2", items[0].QuerySelector("[data-testid=blf-callback-call]")?.GetAttribute("data-callback"));
        Assert.Null(items[1].QuerySelector("[data-testid=blf-callback-call]"));
        Assert.Equal("Take a message for Bob Baker", tile.Find(".tile-actions [data-testid=blf-action-take-message]").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_board_allowed_to_see_them_but_not_to_act_lists_callbacks_without_buttons()
    {
        var tile = Tile(s_two, shown: true, operators: false);

        Assert.Equal(2, tile.FindAll("[data-testid=blf-callback]").Count);
        Assert.Empty(tile.FindAll("button"));
    }

    [Fact]
    public void A_board_whose_viewer_may_not_see_missed_calls_shows_no_trace_of_callbacks()
    {
        var tile = Tile(s_two, shown: false, operators: true);

        Assert.Null(tile.Find("[data-testid=blf-tile]").GetAttribute("data-callbacks"));
        Assert.Empty(tile.FindAll("[data-testid=blf-callback]"));
        Assert.DoesNotContain("Keller", tile.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void No_open_callback_no_attribute_and_a_missed_call_offers_taking_a_message_on_operators_boards()
    {
        var user = Bob(UserCallbacks.None) with { Missed = new UserMissedCalls(1, [new MissedCall("g-bob", "C1", s_at, 9_000, new CallPeer(null, "0171 2345678", false), MissedOutcome.Nobody)]) };
        var tile = Render(user, shown: true, operators: true);

        Assert.Null(tile.Find("[data-testid=blf-tile]").GetAttribute("data-callbacks"));
        var take = tile.Find("[data-testid=blf-missed-call] [data-testid=blf-action-take-message]");
        Assert.Equal(("take-message", "C1", "Take a message: Missed call from 0171 2345678"), (take.GetAttribute("data-action"), take.GetAttribute("data-call-key"), take.GetAttribute("aria-label")));
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Tile(UserCallbacks callbacks, bool shown, bool operators) =>
        Render(Bob(callbacks), shown, operators);

    private static PbxUser Bob(UserCallbacks callbacks) =>
        new("g-bob", "bob", "Bob Baker", "102", "bob", null, null, RegisteredDevices: 1, Channel: 0, Alert: 0) { Callbacks = callbacks };

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Render(PbxUser user, bool shown, bool operators)
    {
        var culture = CultureInfo.GetCultureInfo("en");
        var html = new LampTile().Html(user, stale: false, CultureTexts<BoardText>.In(culture), operators ? CultureTexts<ActionText>.In(culture) : null, missed: shown);
        return Render(builder => builder.AddContent(0, html));
    }
}
