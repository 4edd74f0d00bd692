using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>A queue card's HTML as the browser gets it: the public contract, the alert in words, privacy, languages.</summary>
[Trait("Category", "Component")]
public class QueueCardTests : BunitContext
{
    private static readonly long s_since = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public QueueCardTests()
    {
        Services.AddLocalization();
    }

    private static WaitingQueue Reception(bool alert = false, params QueueCaller[] callers) =>
        new("g-rec", "reception", "Reception", "200", [.. callers], new QueueHour(7, 5, 1, 42_000), new QueueDeparture(QueueOutcome.Answered, "Alice Adams", s_since), alert);

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Card(WaitingQueue queue, bool stale = false, bool actions = false, string language = "en", string? actionState = null)
    {
        var html = new QueueCard().Html(queue, stale, actions, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo(language)), actionState);
        return Render(builder => builder.AddContent(0, html));
    }

    [Fact]
    public void A_card_carries_the_contract_and_lists_its_callers_longest_first()
    {
        var card = Card(Reception(false,
            new QueueCaller(705, new CallPeer(null, "007031123456", IsInternal: false), s_since, RingingAtAgents: true),
            new QueueCaller(706, null, s_since + 30_000, RingingAtAgents: false)));

        var article = card.Find("[data-testid=blf-queue]");
        Assert.Equal(
            ("g-rec", "Reception", "200", "2", "2026-12-07T09:00:00Z", null, null, "7", "5", "1"),
            (article.GetAttribute("data-guid"), article.GetAttribute("data-queue-name"), article.GetAttribute("data-queue-number"), article.GetAttribute("data-queue-waiting"),
             article.GetAttribute("data-queue-longest-since"), article.GetAttribute("data-queue-alert"), article.GetAttribute("data-stale"),
             article.GetAttribute("data-queue-offered"), article.GetAttribute("data-queue-answered"), article.GetAttribute("data-queue-abandoned")));

        var callers = card.FindAll("[data-testid=blf-queue-caller]");
        Assert.Equal(["705", "706"], callers.Select(c => c.GetAttribute("data-call")));
        Assert.Equal("007031123456", callers[0].GetAttribute("data-call-peer"));
        Assert.Equal("2026-12-07T09:00:30Z", callers[1].GetAttribute("data-since"));

        // A caller the privacy setting hides has no peer attribute and says only "a caller".
        Assert.Null(callers[1].GetAttribute("data-call-peer"));
        Assert.Contains("A caller", callers[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("ringing at agents", callers[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Last caller: answered by Alice Adams", article.TextContent, StringComparison.Ordinal);
        Assert.Contains("0:42", card.Find(".queue-hour").TextContent, StringComparison.Ordinal);

        // Nobody acts on a board without an operator.
        Assert.Empty(card.FindAll("[data-testid=blf-action-take]"));
    }

    [Fact]
    public void An_empty_queue_says_zero_and_has_no_longest_wait()
    {
        var article = Card(Reception()).Find("[data-testid=blf-queue]");

        Assert.Equal("0", article.GetAttribute("data-queue-waiting"));
        Assert.Null(article.GetAttribute("data-queue-longest-since"));
    }

    [Theory]
    [InlineData("en", "Waiting too long")]
    [InlineData("de", "Wartet zu lange")]
    public void Past_the_alert_time_the_card_says_so_in_words_and_a_shape_not_only_colour(string language, string words)
    {
        var card = Card(Reception(true, new QueueCaller(705, null, s_since, false)), language: language);

        Assert.Equal("true", card.Find("[data-testid=blf-queue]").GetAttribute("data-queue-alert"));
        Assert.Equal(words, card.Find(".queue-alert").TextContent);
        Assert.NotNull(card.Find(".queue-alert .queue-alert-shape"));
    }

    [Fact]
    public void An_operators_card_takes_the_next_caller_or_one_caller_and_carries_the_action_state()
    {
        var card = Card(Reception(false, new QueueCaller(705, new CallPeer(null, "007031123456", false), s_since, false)), actions: true, actionState: "pending");

        var article = card.Find("[data-testid=blf-queue]");
        Assert.Equal("pending", article.GetAttribute("data-action-state"));
        var takes = card.FindAll("[data-testid=blf-action-take]");
        Assert.Equal(2, takes.Count);
        Assert.Equal("Take the next caller", takes.Single(t => t.GetAttribute("data-call") is null).TextContent);
        Assert.Equal("Take 007031123456", takes.Single(t => t.GetAttribute("data-call") == "705").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_stale_card_is_marked_like_a_tile_and_the_same_queue_record_is_built_once()
    {
        var cards = new QueueCard();
        var queue = Reception();
        var text = CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("en"));

        Assert.Same(cards.Html(queue, stale: true, actions: false, text).Value, cards.Html(queue, stale: true, actions: false, text).Value);
        Assert.Contains("data-stale=\"true\"", cards.Html(queue, stale: true, actions: false, text).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("data-stale", cards.Html(queue, stale: false, actions: false, text).Value, StringComparison.Ordinal);
    }
}
