using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.MissedCalls;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>
/// A tile's missed calls as the public contract names them (<c>data-missed</c>, <c>blf-missed-list</c>,
/// <c>blf-missed-call</c>), only on the boards of viewers <c>Blf:MissedCalls:Visible</c> names.
/// </summary>
[Trait("Category", "Component")]
public sealed class MissedCallTileTests : BunitContext
{
    private static readonly long s_at = new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public MissedCallTileTests() => Services.AddLocalization();

    [Fact]
    public void A_tile_counts_the_calls_missed_since_the_last_call_and_lists_each_with_time_caller_and_outcome()
    {
        var tile = Tile(new UserMissedCalls(1,
        [
            new MissedCall("g-bob", "C2", s_at, 9_000, new CallPeer(null, "0171 2345678", IsInternal: false), MissedOutcome.Nobody),
            new MissedCall("g-bob", "C1", s_at - 60_000, 20_000, new CallPeer("Alice Adams", null, IsInternal: true), MissedOutcome.Colleague),
        ]), shown: true);

        Assert.Equal("1", tile.Find("[data-testid=blf-tile]").GetAttribute("data-missed"));
        var calls = tile.FindAll("[data-testid=blf-missed-list] [data-testid=blf-missed-call]");
        Assert.Equal(
            [("2026-12-07T08:30:00Z", "0171 2345678", "nobody"), ("2026-12-07T08:29:00Z", "Alice Adams", "colleague")],
            calls.Select(c => (c.GetAttribute("data-call-time"), c.GetAttribute("data-call-peer"), c.GetAttribute("data-missed-outcome"))));
    }

    [Fact]
    public void A_caller_hidden_by_the_call_details_has_no_peer_on_the_list()
    {
        var tile = Tile(new UserMissedCalls(1, [new MissedCall("g-bob", "C1", s_at, 9_000, new CallPeer(null, null, IsInternal: false), MissedOutcome.Forwarded)]), shown: true);

        var call = tile.Find("[data-testid=blf-missed-call]");
        Assert.Null(call.GetAttribute("data-call-peer"));
        Assert.Equal("forwarded", call.GetAttribute("data-missed-outcome"));
    }

    [Fact]
    public void Calls_seen_since_leave_the_count_but_stay_on_the_list()
    {
        var tile = Tile(new UserMissedCalls(0, [new MissedCall("g-bob", "C1", s_at, 9_000, null, MissedOutcome.Nobody)]), shown: true);

        Assert.Null(tile.Find("[data-testid=blf-tile]").GetAttribute("data-missed"));
        Assert.Single(tile.FindAll("[data-testid=blf-missed-call]"));
    }

    [Fact]
    public void A_board_whose_viewer_may_not_see_missed_calls_shows_no_trace_of_them()
    {
        var tile = Tile(new UserMissedCalls(2, [new MissedCall("g-bob", "C1", s_at, 9_000, new CallPeer(null, "0171 2345678", false), MissedOutcome.Nobody)]), shown: false);

        Assert.Null(tile.Find("[data-testid=blf-tile]").GetAttribute("data-missed"));
        Assert.Empty(tile.FindAll("[data-testid=blf-missed-list]"));
        Assert.DoesNotContain("2345678", tile.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MissedCallsVisibility.Operators, false, false, false)]
    [InlineData(MissedCallsVisibility.Operators, true, false, false)]
    [InlineData(MissedCallsVisibility.Operators, true, true, true)]
    [InlineData(MissedCallsVisibility.SignedIn, false, false, false)]
    [InlineData(MissedCallsVisibility.SignedIn, true, false, true)]
    [InlineData(MissedCallsVisibility.Everyone, false, false, true)]
    [InlineData(MissedCallsVisibility.Off, true, true, false)]
    public void Who_sees_missed_calls_follows_the_setting(MissedCallsVisibility visible, bool signedIn, bool isOperator, bool shown) =>
        Assert.Equal(shown, new MissedCallOptions { Visible = visible }.ShownTo(signedIn, isOperator));

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Tile(UserMissedCalls missed, bool shown)
    {
        var user = new PbxUser("g-bob", "bob", "Bob Baker", "102", "bob", null, null, RegisteredDevices: 1, Channel: 0, Alert: 0) { Missed = missed };
        var html = new LampTile().Html(user, stale: false, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("en")), missed: shown);
        return Render(builder => builder.AddContent(0, html));
    }
}
