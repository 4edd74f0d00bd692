using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>
/// One waiting queue's card as HTML, with the <c>data-*</c> attributes of the public contract: who waits
/// (each with a ticking wait), how many, the longest wait, the alert (colour, shape and word), the last
/// hour's figures and, on operators' boards, "take" buttons. Built once per queue record, language,
/// staleness and board kind, and shared by every open board, like <see cref="LampTile"/>.
/// </summary>
public sealed class QueueCard
{
    // Keyed by the record: each snapshot's queue is a new record, and entries go with the snapshots.
    private readonly ConditionalWeakTable<WaitingQueue, HtmlVariants> _built = [];

    /// <param name="stale">True while the board is not live: the card gets <c>data-stale</c> and the board's last-known note.</param>
    /// <param name="actions">For operators' boards: "take the next caller" and "take" per caller.</param>
    /// <param name="actionState">The operator's last take from this queue (<c>pending</c>, <c>done</c>, <c>failed</c>): one board's own mark on the shared card.</param>
    public MarkupString Html(WaitingQueue queue, bool stale, bool actions, CultureTexts<BoardText> text, string? actionState = null)
    {
        var built = _built.GetValue(queue, static _ => new HtmlVariants());
        var html = built.Find(text.Culture.Name, stale, actions) ?? built.Add(text.Culture.Name, stale, actions, Build(queue, stale, actions, text));
        return actionState is null ? html : new MarkupString(html.Value.Insert(CardStart.Length, $"data-action-state=\"{LampTile.Encode(actionState)}\" "));
    }

    private const string CardStart = "<article ";

    /// <summary>A wait as a receptionist reads it: "0:42", "12:05", "1:02:10".</summary>
    public static string Duration(long ms)
    {
        var time = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return time.TotalHours >= 1
            ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    private static MarkupString Build(WaitingQueue queue, bool stale, bool actions, CultureTexts<BoardText> text)
    {
        var nameId = $"blf-queue-{queue.Guid}";
        var hour = queue.LastHour;
        var waiting = queue.Callers.Length;
        var html = new StringBuilder(1024)
            .Append(CardStart).Append("class=\"queue-card\" data-testid=\"blf-queue\" data-guid=\"").Append(LampTile.Encode(queue.Guid))
            .Append("\" data-queue-name=\"").Append(LampTile.Encode(queue.Name)).Append('"');
        if (queue.Number is { } number)
        {
            html.Append(" data-queue-number=\"").Append(LampTile.Encode(number)).Append('"');
        }

        html.Append(" data-queue-waiting=\"").Append(Invariant(waiting)).Append('"');
        if (queue.LongestSinceUnixMs is { } longest)
        {
            html.Append(" data-queue-longest-since=\"").Append(Iso(longest)).Append('"');
        }

        html.Append(queue.Alert ? " data-queue-alert=\"true\"" : "")
            .Append(stale ? " data-stale=\"true\"" : "")
            .Append(" data-queue-offered=\"").Append(Invariant(hour.Offered))
            .Append("\" data-queue-answered=\"").Append(Invariant(hour.Answered))
            .Append("\" data-queue-abandoned=\"").Append(Invariant(hour.Abandoned))
            .Append("\" aria-labelledby=\"").Append(LampTile.Encode(nameId)).Append('"')
            .Append(stale ? $" aria-describedby=\"{LampTile.StaleNoteId}\">" : ">");

        // Head: name, number and, past the alert time, a triangle and the word (never the colour alone).
        html.Append("<header class=\"queue-head\"><h3 class=\"queue-name\" id=\"").Append(LampTile.Encode(nameId)).Append("\">")
            .Append(LampTile.Encode(queue.Name)).Append("</h3>");
        if (queue.Number is { } shownNumber)
        {
            html.Append("<span class=\"queue-number\">").Append(LampTile.Encode(shownNumber)).Append("</span>");
        }

        if (queue.Alert)
        {
            html.Append("<strong class=\"queue-alert\"><i class=\"queue-alert-shape\" aria-hidden=\"true\"></i>")
                .Append(LampTile.Encode(text["QueueAlert"])).Append("</strong>");
        }

        html.Append("</header>");

        // The count and the longest wait, the largest text on the card (read across a room on the wall).
        html.Append("<p class=\"queue-now\"><span class=\"queue-count\">").Append(Invariant(waiting)).Append("</span> <span class=\"queue-count-word\">")
            .Append(LampTile.Encode(text["QueueWaiting"])).Append("</span>");
        if (queue.LongestSinceUnixMs is { } since)
        {
            html.Append(" <span class=\"queue-longest\">").Append(LampTile.Encode(text["QueueLongest"]));
            LampTile.Timer(html, since);
            html.Append("</span>");
        }

        html.Append("</p>");
        if (waiting > 0)
        {
            html.Append("<ol class=\"queue-callers\" aria-label=\"").Append(LampTile.Encode(text["QueueCallers"])).Append("\">");
            foreach (var caller in queue.Callers)
            {
                Caller(html, caller, actions, text);
            }

            html.Append("</ol>");
        }

        Hour(html, hour, $"{nameId}-hour", text);
        if (queue.LastDeparture is { } last)
        {
            html.Append("<p class=\"queue-last\">").Append(LampTile.Encode(Departure(last, text))).Append("</p>");
        }

        if (actions && waiting > 0)
        {
            html.Append("<button type=\"button\" class=\"queue-take\" data-action=\"take\" data-testid=\"blf-action-take\">")
                .Append(LampTile.Encode(text["QueueTakeNext"])).Append("</button>");
        }

        return new MarkupString(html.Append("</article>").ToString());
    }

    private static void Caller(StringBuilder html, QueueCaller caller, bool actions, CultureTexts<BoardText> text)
    {
        var shown = caller.Caller?.Shown;
        html.Append("<li class=\"queue-caller\" data-testid=\"blf-queue-caller\" data-call=\"").Append(Invariant(caller.Call))
            .Append("\" data-since=\"").Append(Iso(caller.SinceUnixMs)).Append('"')
            .Append(caller.RingingAtAgents ? " data-ringing=\"true\"" : "");
        if (shown is not null)
        {
            html.Append(" data-call-peer=\"").Append(LampTile.Encode(shown)).Append('"');
        }

        html.Append("><span class=\"queue-caller-name\">").Append(LampTile.Encode(shown ?? text["QueueCallerHidden"])).Append("</span> ")
            .Append("<span class=\"queue-caller-state\">").Append(LampTile.Encode(text[caller.RingingAtAgents ? "QueueCallerRinging" : "QueueCallerWaiting"]));
        LampTile.Timer(html, caller.SinceUnixMs);
        html.Append("</span>");
        if (actions)
        {
            html.Append(" <button type=\"button\" class=\"queue-caller-take\" data-action=\"take\" data-call=\"").Append(Invariant(caller.Call))
                .Append("\" data-testid=\"blf-action-take\" aria-label=\"").Append(LampTile.Encode(text["QueueTakeCaller", shown ?? text["QueueCallerHidden"]]))
                .Append("\">").Append(LampTile.Encode(text["QueueTake"])).Append("</button>");
        }

        html.Append("</li>");
    }

    private static void Hour(StringBuilder html, QueueHour hour, string id, CultureTexts<BoardText> text)
    {
        html.Append("<p class=\"queue-hour-title\" id=\"").Append(LampTile.Encode(id)).Append("\">").Append(LampTile.Encode(text["QueueHour"])).Append("</p>")
            .Append("<dl class=\"queue-hour\" aria-labelledby=\"").Append(LampTile.Encode(id)).Append("\">");
        Figure(html, text["QueueOffered"], Invariant(hour.Offered));
        Figure(html, text["QueueAnswered"], Invariant(hour.Answered));
        Figure(html, text["QueueAbandoned"], Invariant(hour.Abandoned));
        Figure(html, text["QueueAverageWait"], hour.AverageWaitMs is { } average ? Duration(average) : "–");
        html.Append("</dl>");
    }

    private static void Figure(StringBuilder html, string term, string value) =>
        html.Append("<div><dt>").Append(LampTile.Encode(term)).Append("</dt><dd>").Append(LampTile.Encode(value)).Append("</dd></div>");

    private static string Departure(QueueDeparture last, CultureTexts<BoardText> text) => (last.Outcome, last.By) switch
    {
        (QueueOutcome.Answered, { } by) => text["QueueLastAnsweredBy", by],
        (QueueOutcome.Answered, null) => text["QueueLastAnswered"],
        (QueueOutcome.Taken, { } by) => text["QueueLastTakenBy", by],
        (QueueOutcome.Taken, null) => text["QueueLastTaken"],
        (QueueOutcome.Abandoned, _) => text["QueueLastAbandoned"],
        _ => text["QueueLastOverflowed"],
    };

    private static string Iso(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
