using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Board;

/// <summary>
/// One user's tile as HTML: colour, shape and word, with the <c>data-*</c> attributes of the public
/// contract. Built once per user record, language and staleness and shared by every open board:
/// one instance per app (a singleton service), whose cache every board reads.
/// </summary>
/// <remarks>
/// Why HTML and not a component per tile: a component keeps two render trees of its own in every
/// circuit, about 5 KB a tile, so 1,000 users cost each open board over 7 MB on the server and a
/// diff of every tile's parameters on each change. As one markup frame in the board's render tree a
/// tile costs each board a few dozen bytes; the board's keyed diff still sends only the tiles whose
/// HTML changed, and the browser replaces just those.
/// </remarks>
public sealed class LampTile
{
    // Keyed by the record itself: a user's next UserInfo is a new record, so nothing goes stale,
    // and entries go with the records the directory no longer holds.
    private readonly ConditionalWeakTable<PbxUser, HtmlVariants> _built = [];

    // A favourite shows twice on its person's board (in Favourites and in its place): the copy in Favourites
    // names its detail apart, so every id on the page stays unique. Keyed by the shared HTML itself, so every
    // board gets the same copy of the same tile.
    private readonly ConditionalWeakTable<string, string> _favouriteCopies = [];

    /// <summary>The board's element that says "last known" while the board is not live: every tile's description.</summary>
    public const string StaleNoteId = "blf-stale-note";

    // Names are people's names in any script: encode what HTML needs, not every non-ASCII letter.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <param name="stale">
    /// True while the board is not live: the tile gets <c>data-stale</c> and is described by the board's
    /// last-known note, nothing else, because the stale look is drawn by tiles.css from that one attribute
    /// (board.js marks a tile the same way when the page loses its server, so a stale tile is defined once).
    /// </param>
    /// <param name="actions">For operators' boards: the tile gets its action buttons (one more variant, shared by every operator's board).</param>
    /// <param name="text">The board texts in the language of the boards that show the tile.</param>
    /// <param name="missed">For the boards <c>Blf:MissedCalls:Visible</c> lets see them: the user's missed calls (one more variant, like the actions).</param>
    public MarkupString Html(PbxUser user, bool stale, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions = null, bool missed = false)
    {
        var culture = text.Culture.Name;
        var built = _built.GetValue(user, static _ => new HtmlVariants());
        var withActions = actions is not null;
        return built.Find(culture, stale, withActions, missed) ?? built.Add(culture, stale, withActions, missed, Build(user, stale, text, actions, missed));
    }

    /// <summary>The tile <paramref name="html"/> as the favourites section shows it: the same, its detail's id apart.</summary>
    public MarkupString AsFavourite(MarkupString html) =>
        new(_favouriteCopies.GetValue(html.Value, static shared => shared.Replace("\"blf-detail-", "\"blf-favourite-detail-", StringComparison.Ordinal)));

    /// <summary>The word that says what the colour says, for everyone who does not see the colour.</summary>
    public static string Word(LampState state, IStringLocalizer<BoardText> text) => text[$"State{state}"];

    /// <summary>Missed calls and callbacks a tile lists in its detail, newest first; the board keeps more, the tile stays small.</summary>
    public const int MaxMissedShown = UserMissedCalls.MaxListed;

    private static MarkupString Build(PbxUser user, bool stale, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions, bool withMissed)
    {
        var missed = withMissed ? user.Missed : UserMissedCalls.None;

        // Callbacks are shown to the same viewers as missed calls (Blf:MissedCalls:Visible).
        var callbacks = withMissed ? user.Callbacks.Open : [];
        var state = user.Lamp;
        var token = state.ToToken();
        var name = user.DisplayName;
        var number = user.E164 ?? string.Empty;
        var calls = user.Activity?.Calls ?? [];
        var presence = user.Activity?.Presence;
        var shownCall = calls.Count > 0 ? calls[0] : null;
        var detailId = $"blf-detail-{user.Guid}";

        var word = Word(state, text);
        var forwarding = user.Forwarding;
        var always = forwarding.Count > 0 && forwarding[0].Kind == DiversionKind.Always ? forwarding[0] : null;

        // "Anna Berger, 101, Free, forwarded to Carol Clark": what a screen reader says for the tile; the
        // rest is its description. A free lamp that will never ring says so in the name itself.
        var label = Label(name, number, word, always is null ? null : ForwardWord(always, text));

        var html = new StringBuilder(768)
            .Append("<div class=\"tile\" data-testid=\"blf-tile\" data-guid=\"").Append(Encode(user.Guid))
            .Append("\" data-state=\"").Append(token).Append('"')
            .Append(stale ? " data-stale=\"true\"" : "");
        if (shownCall is not null)
        {
            html.Append(" data-calls=\"").Append(calls.Count.ToString(CultureInfo.InvariantCulture))
                .Append("\" data-call-direction=\"").Append(shownCall.Direction == CallDirection.In ? "in" : "out").Append('"')
                .Append(shownCall.IsHeld ? " data-call-hold=\"true\"" : "");
            if (shownCall.Peer?.Shown is { } peer)
            {
                html.Append(" data-call-peer=\"").Append(Encode(peer)).Append('"');
            }
        }

        if (forwarding.Count > 0)
        {
            // The contract: the kinds in the order always, busy, no-answer; the first one's destination as shown.
            html.Append(" data-forward=\"").Append(string.Join(' ', forwarding.Select(d => d.Token).Distinct())).Append('"');
            if (forwarding[0].Shown is { } forwardTo)
            {
                html.Append(" data-forward-to=\"").Append(Encode(forwardTo)).Append('"');
            }

            if (forwarding[0].IsConditional)
            {
                html.Append(" data-forward-conditional=\"true\"");
            }
        }

        if (missed.Unanswered > 0)
        {
            html.Append(" data-missed=\"").Append(missed.Unanswered.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        if (callbacks.Count > 0)
        {
            html.Append(" data-callbacks=\"").Append(callbacks.Count.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        if (presence is { IsAvailable: false })
        {
            html.Append(" data-presence=\"").Append(Encode(presence.Activity)).Append('"');
            if (presence.Note is { } presenceNote)
            {
                html.Append(" data-presence-note=\"").Append(Encode(presenceNote)).Append('"');
            }
        }

        // Focusable where there is more to see (calls, or presence other than available), so keyboard
        // and touch reach the detail like a mouse; a plain tile stays out of the tab order.
        var hasDetail = calls.Count > 0 || presence is { IsAvailable: false } || forwarding.Count > 0 || missed.Calls.Count > 0 || callbacks.Count > 0;
        var focusable = hasDetail || actions is not null;
        UserPresence? presenceBadge = null;
        // A stale tile is also described by the board's note that says "last known" (board.js marks a
        // tile the same way: data-stale and this reference).
        html.Append(" role=\"group\" aria-label=\"").Append(Encode(label)).Append('"')
            .Append(focusable ? " tabindex=\"0\"" : "");
        var describedBy = (hasDetail, stale) switch
        {
            (true, true) => $"{Encode(detailId)} {StaleNoteId}",
            (true, false) => Encode(detailId),
            (false, true) => StaleNoteId,
            _ => null,
        };
        html.Append(describedBy is null ? ">" : $" aria-describedby=\"{describedBy}\">")
            .Append("<span class=\"tile-name\" title=\"").Append(Encode(name)).Append("\">").Append(Encode(name)).Append("</span>");
        if (presence is { IsAvailable: false })
        {
            presenceBadge = presence;
        }

        html.Append("<span class=\"tile-number\">").Append(Encode(number)).Append("</span>")
            .Append("<span class=\"tile-state\">").Append(Encode(word));
        if (user.LampSinceUnixMs > 0 && shownCall is null)
        {
            // The page's script turns this into a ticking "3:12", so time passing costs the server nothing.
            // With a call on the tile, the call's own duration says it better, once.
            Timer(html, user.LampSinceUnixMs);
        }

        html.Append("</span>");
        if (shownCall is not null)
        {
            html.Append("<span class=\"tile-call\" aria-hidden=\"true\">");
            CallLine(html, shownCall, text);
            if (calls.Count > 1)
            {
                html.Append(" <span class=\"tile-more\">").Append(Encode(text["CallsMore", calls.Count - 1])).Append("</span>");
            }

            html.Append("</span>");
        }

        if (forwarding.Count > 0)
        {
            Forward(html, forwarding, always, text);
        }

        if (presenceBadge is not null)
        {
            // "Away · back at 14:00": a receptionist reads when to try again without opening the detail.
            var activity = PresenceWord(presenceBadge.Activity, text);
            var badge = presenceBadge.Note is null ? activity : $"{activity} · {presenceBadge.Note}";
            html.Append("<span class=\"tile-presence tile-presence--").Append(Encode(PresenceClass(presenceBadge.Activity))).Append("\" title=\"")
                .Append(Encode(badge)).Append("\">").Append(Encode(badge)).Append("</span>");
        }

        if (missed.Unanswered > 0)
        {
            html.Append("<span class=\"tile-missed\" data-testid=\"blf-tile-missed\">").Append(Encode(text["MissedBadge", missed.Unanswered])).Append("</span>");
        }

        if (callbacks.Count > 0)
        {
            html.Append("<span class=\"tile-callbacks\" data-testid=\"blf-tile-callbacks\">").Append(Encode(text["CallbacksBadge", callbacks.Count])).Append("</span>");
        }

        if (hasDetail)
        {
            Detail(html, detailId, calls, presence, forwarding, missed, callbacks, text, user.Cn is null ? null : actions);
        }

        if (actions is not null && user.Cn is not null)
        {
            Actions(html, user, calls, actions);
        }

        return new MarkupString(html.Append("</div>").ToString());
    }

    /// <summary>
    /// The tile's accessible name from the parts the PBX gave: one left empty (no extension, no name) is
    /// left out, so a screen reader does not read out an empty pause ("Anna Berger, , Busy").
    /// </summary>
    private static string Label(string name, string number, string word, string? forwarded)
    {
        string?[] parts = [name, number, word, forwarded];
        return string.Join(", ", parts.Where(part => !string.IsNullOrWhiteSpace(part)));
    }

    /// <summary>
    /// An operator's buttons. The same for every operator: which of them a board shows (put through only
    /// while that operator has a caller, forwarding only where the PBX lets it be set, none on their own
    /// tile) is the board's CSS, from attributes of its own. board.js turns a click, or Enter on the tile,
    /// into one action event for the circuit. A forwarded colleague's put-through and announce say where
    /// the call will go, and the tile offers their desk phone past the forwarding beside them.
    /// </summary>
    private static void Actions(StringBuilder html, PbxUser user, IReadOnlyList<CallLeg> calls, CultureTexts<ActionText> text)
    {
        var name = user.DisplayName;
        var forwarded = user.Forwarding.Count > 0;
        html.Append("<div class=\"tile-actions\" role=\"group\">");
        if (calls.Count > 0 && calls[0].Phase == CallPhase.Ringing)
        {
            Button(html, "pickup", text["ButtonPickup", name], text["ShortPickup"]);
        }

        if (forwarded)
        {
            var where = ForwardingWords.Where(user.Forwarding[0], name, text);
            Button(html, "transfer", text["ButtonTransferFollowing", name, where], text["ShortTransfer"]);
            Button(html, "transfer-desk", text["ButtonTransferDesk", name], text["ShortTransferDesk"]);
            Button(html, "announce", text["ButtonAnnounceFollowing", name, where], text["ShortAnnounce"]);
            Button(html, "announce-desk", text["ButtonAnnounceDesk", name], text["ShortAnnounceDesk"]);
        }
        else
        {
            Button(html, "transfer", text["ButtonTransfer", name], text["ShortTransfer"]);
            Button(html, "announce", text["ButtonAnnounce", name], text["ShortAnnounce"]);
        }

        Button(html, "call", text["ButtonCall", name], text["ShortCall"]);
        Button(html, "presence", text["ButtonPresence", name], text["ShortPresence"]);
        Button(html, "take-message", text["ButtonTakeMessage", name], text["ShortTakeMessage"]);
        Button(html, "forward", text["ButtonForward", name], text["ShortForward"]);
        html.Append("</div>");

        static void Button(StringBuilder html, string action, string label, string shortText) =>
            html.Append("<button type=\"button\" tabindex=\"-1\" class=\"tile-action tile-action--").Append(action)
                .Append("\" data-action=\"").Append(action).Append("\" data-testid=\"blf-action-").Append(action)
                .Append("\" aria-label=\"").Append(Encode(label)).Append("\">").Append(Encode(shortText)).Append("</button>");
    }

    /// <summary>"← Anna Berger 0:42 on hold": arrow for the direction, the peer as it may be shown, the duration.</summary>
    private static void CallLine(StringBuilder html, CallLeg call, CultureTexts<BoardText> text)
    {
        html.Append("<span class=\"tile-call-direction\">").Append(call.Direction == CallDirection.In ? "\u2190" : "\u2192").Append("</span> ")
            .Append("<span class=\"tile-call-peer\">").Append(Encode(PeerText(call, text))).Append("</span>");
        Timer(html, call.SinceUnixMs);

        if (call.IsHeld)
        {
            html.Append(" <span class=\"tile-call-hold\">").Append(Encode(text["CallHeld"])).Append("</span>");
        }
    }

    /// <summary>Every call and the presence with its note: shown on hover, focus or tap; a screen reader's description.</summary>
    /// <param name="actions">On operators' boards: the buttons beside each missed call (take a message) and callback (done, call back).</param>
    private static void Detail(StringBuilder html, string id, IReadOnlyList<CallLeg> calls, UserPresence? presence, IReadOnlyList<Diversion> forwarding, UserMissedCalls missed, IReadOnlyList<Callback> callbacks, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions)
    {
        html.Append("<div class=\"tile-detail\" role=\"tooltip\" id=\"").Append(Encode(id)).Append("\" data-testid=\"blf-tile-detail\">");
        if (calls.Count > 0)
        {
            html.Append("<ul class=\"tile-detail-calls\" aria-label=\"").Append(Encode(text["DetailCalls"])).Append("\">");
            foreach (var call in calls)
            {
                var peer = call.Peer?.Shown is not null || call.Peer is { IsInternal: false } ? PeerText(call, text) : null;
                string what = peer is null
                    ? text[call.Direction == CallDirection.In ? "CallInUnknown" : "CallOutUnknown"]
                    : text[call.Direction == CallDirection.In ? "CallIn" : "CallOut", peer];
                html.Append("<li data-call-phase=\"").Append(call.Phase.ToString().ToLowerInvariant()).Append("\">")
                    .Append(Encode(what)).Append(", ").Append(Encode(text[$"CallPhase{call.Phase}"]));
                Timer(html, call.SinceUnixMs);

                if (call.ViaKind != CallVia.None)
                {
                    string via = call.Via is null
                        ? text[call.ViaKind == CallVia.PickedUp ? "CallViaPickedUpUnknown" : $"CallVia{call.ViaKind}", string.Empty]
                        : text[$"CallVia{call.ViaKind}", call.Via];
                    html.Append(", ").Append(Encode(via));
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        foreach (var diversion in forwarding)
        {
            string where = Destination(diversion, text) is { } to ? text[$"ForwardDetail{diversion.Kind}", to] : text[$"ForwardDetail{diversion.Kind}Hidden"];
            html.Append("<p class=\"tile-detail-forward\" data-forward-kind=\"").Append(diversion.Token).Append("\">")
                .Append(Encode(diversion.IsConditional ? text["ForwardDetailConditional", where] : where)).Append("</p>");
        }

        if (presence is not null)
        {
            var activity = presence.IsAvailable ? text["PresenceAvailable"].Value : PresenceWord(presence.Activity, text);
            html.Append("<p class=\"tile-detail-presence\">").Append(Encode(presence.Note is null ? activity : $"{activity}: {presence.Note}")).Append("</p>");
        }

        if (missed.Calls.Count > 0)
        {
            Missed(html, missed, text, actions);
        }

        if (callbacks.Count > 0)
        {
            Callbacks(html, callbacks, text, actions);
        }

        html.Append("</div>");
    }

    /// <summary>"Missed call from 0171 2345678, a colleague answered, 1:02:33": who, what became of it, how long ago.</summary>
    private static void Missed(StringBuilder html, UserMissedCalls missed, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions)
    {
        html.Append("<ul class=\"tile-detail-missed\" data-testid=\"blf-missed-list\" aria-label=\"").Append(Encode(text["DetailMissed"])).Append("\">");
        foreach (var call in missed.Calls.Take(MaxMissedShown))
        {
            var peer = call.Peer?.Shown;
            html.Append("<li data-testid=\"blf-missed-call\" data-call-time=\"")
                .Append(DateTimeOffset.FromUnixTimeMilliseconds(call.AtUnixMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('"');
            if (peer is not null)
            {
                html.Append(" data-call-peer=\"").Append(Encode(peer)).Append('"');
            }

            var outcome = call.OutcomeWord;
            html.Append(" data-missed-outcome=\"").Append(outcome).Append("\">")
                .Append(Encode(peer is null ? text["MissedUnknown"] : text["MissedFrom", peer]))
                .Append(", ").Append(Encode(text[$"MissedOutcome{call.Outcome}"]));
            Timer(html, call.AtUnixMs);
            if (actions is not null)
            {
                DetailButton(html, "take-message", "data-call-key", call.CallKey, actions["ButtonTakeMessageMissed", peer is null ? text["MissedUnknown"] : text["MissedFrom", peer]], actions["ShortTakeMessage"]);
            }

            html.Append("</li>");
        }

        html.Append("</ul>");
    }

    /// <summary>"Callback: Mr Keller, 0171 2345678 (urgent): about the invoice": who called, how soon, the note; on operators' boards, done and call back.</summary>
    private static void Callbacks(StringBuilder html, IReadOnlyList<Callback> callbacks, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions)
    {
        html.Append("<ul class=\"tile-detail-callbacks\" data-testid=\"blf-callback-list\" aria-label=\"").Append(Encode(text["DetailCallbacks"])).Append("\">");
        foreach (var callback in callbacks.Take(MaxMissedShown))
        {
            html.Append("<li data-testid=\"blf-callback\" data-callback=\"").Append(Encode(callback.Id))
                .Append("\" data-callback-state=\"").Append(callback.StateWord)
                .Append("\" data-callback-urgency=\"").Append(callback.UrgencyWord).Append("\">")
                .Append(Encode(CallbackLine(callback, text)));
            Timer(html, callback.AtUnixMs);
            if (actions is not null)
            {
                var who = CallerText(callback, text);
                DetailButton(html, "callback-done", "data-callback", callback.Id, actions["ButtonCallbackDone", who], actions["ShortCallbackDone"]);
                if (callback.Caller?.Number is not null)
                {
                    DetailButton(html, "callback-call", "data-callback", callback.Id, actions["ButtonCallbackCall", who], actions["ShortCall"]);
                }
            }

            html.Append("</li>");
        }

        html.Append("</ul>");
    }

    /// <summary>"Callback for Mr Keller (0171 2345678), urgent: about the invoice", as a tile and My calls say it.</summary>
    internal static string CallbackLine(Callback callback, IStringLocalizer<BoardText> text)
    {
        var line = text[callback.Urgency == CallbackUrgency.Urgent ? "CallbackUrgent" : "CallbackNormal", CallerText(callback, text)].Value;
        return callback.Note.Length == 0 ? line : $"{line}: {callback.Note}";
    }

    /// <summary>"Mr Keller (0171 2345678)", either part alone, or "unknown caller".</summary>
    internal static string CallerText(Callback callback, IStringLocalizer<BoardText> text) => callback.Caller switch
    {
        { Name: { } name, Number: { } number } => $"{name} ({number})",
        { Shown: { } shown } => shown,
        _ => text["CallbackUnknown"],
    };

    /// <summary>A button of one item of the detail (a missed call, a callback): board.js sends its action with the item's key.</summary>
    private static void DetailButton(StringBuilder html, string action, string keyAttribute, string key, string label, string shortText) =>
        html.Append(" <button type=\"button\" tabindex=\"-1\" class=\"tile-action tile-action--").Append(action)
            .Append("\" data-action=\"").Append(action).Append("\" data-testid=\"blf-").Append(action == "take-message" ? "action-take-message" : action)
            .Append("\" ").Append(keyAttribute).Append("=\"").Append(Encode(key))
            .Append("\" aria-label=\"").Append(Encode(label)).Append("\">").Append(Encode(shortText)).Append("</button>");

    /// <summary>
    /// Where calls go, on the tile's face. Forwarded always: "forwarded → Carol Clark", as prominent as
    /// do-not-disturb, because a free lamp that never rings misleads. Only if busy or on no answer: a
    /// small mark ("↪ if busy · no answer"); the destinations are in the detail.
    /// </summary>
    private static void Forward(StringBuilder html, IReadOnlyList<Diversion> forwarding, Diversion? always, CultureTexts<BoardText> text)
    {
        if (always is not null)
        {
            var to = Destination(always, text);
            var line = to is null ? ForwardedWord(always, text) : $"{ForwardedWord(always, text)} \u2192 {to}";
            html.Append("<span class=\"tile-forward tile-forward--always\" data-testid=\"blf-tile-forward\" title=\"").Append(Encode(line)).Append("\">")
                .Append(Encode(line)).Append("</span>");
            return;
        }

        var marks = string.Join(" \u00b7 ", forwarding.Select(d => d.Kind).Distinct().Select(kind => text[kind == DiversionKind.Busy ? "ForwardMarkBusy" : "ForwardMarkNoAnswer"].Value));
        html.Append("<span class=\"tile-forward tile-forward--mark\" data-testid=\"blf-tile-forward\" aria-hidden=\"true\">\u21aa ").Append(Encode(marks)).Append("</span>");
    }

    private static string ForwardedWord(Diversion always, CultureTexts<BoardText> text) =>
        text[always.IsConditional ? "ForwardedConditional" : "Forwarded"];

    /// <summary>"forwarded to Carol Clark" for the tile's accessible name; "forwarded" when the destination is hidden.</summary>
    private static string ForwardWord(Diversion always, CultureTexts<BoardText> text) =>
        Destination(always, text) is { } to && !always.IsConditional ? text["ForwardLabel", to] : ForwardedWord(always, text);

    /// <summary>The destination as the board may show it: a name or number, "an external number", or null when hidden.</summary>
    private static string? Destination(Diversion diversion, CultureTexts<BoardText> text) =>
        diversion.Shown ?? (diversion.IsExternal ? text["ForwardExternal"].Value : null);

    private static string PeerText(CallLeg call, CultureTexts<BoardText> text) =>
        call.Peer?.Shown ?? (call.Peer is { IsInternal: false } ? text["CallExternal"] : string.Empty);

    /// <summary>The PBX's activity word in the board's language; a word we do not know is shown as the PBX sent it.</summary>
    public static string PresenceWord(string activity, IStringLocalizer<BoardText> text)
    {
        var known = text[$"Presence{PresenceClass(activity) switch { "dnd" => "Dnd", var other => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(other) }}"];
        return known.ResourceNotFound ? activity : known.Value;
    }

    /// <summary>A CSS-safe token of the activity: its letters, digits and dashes, lower case.</summary>
    private static string PresenceClass(string activity) =>
        string.Concat(activity.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    /// <summary>A ticking "3:12" since then: board.js turns it into text once a second, so time passing costs the server nothing.</summary>
    internal static void Timer(StringBuilder html, long sinceUnixMs) =>
        html.Append("<span class=\"tile-since\" data-since=\"").Append(sinceUnixMs.ToString(CultureInfo.InvariantCulture)).Append("\" aria-hidden=\"true\"></span>");

    /// <summary>Text for HTML: what HTML needs encoded, names in any script left readable.</summary>
    internal static string Encode(string value) => s_encoder.Encode(value);
}
