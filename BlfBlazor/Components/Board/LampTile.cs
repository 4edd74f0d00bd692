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
    private readonly ConditionalWeakTable<PbxUser, Built> _built = [];

    // Names are people's names in any script: encode what HTML needs, not every non-ASCII letter.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <param name="stale">True while the board is not live: the lamp shows the last known state.</param>
    public MarkupString Html(PbxUser user, bool stale, IStringLocalizer<BoardText> text)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        var built = _built.GetValue(user, static _ => new Built());
        return built.Find(culture, stale) ?? built.Add(culture, stale, Build(user, stale, text));
    }

    /// <summary>The word that says what the colour says, for everyone who does not see the colour.</summary>
    public static string Word(LampState state, IStringLocalizer<BoardText> text) => text[$"State{state}"];

    private static MarkupString Build(PbxUser user, bool stale, IStringLocalizer<BoardText> text)
    {
        var state = user.Lamp;
        var token = state.ToToken();
        var name = user.DisplayName;
        var number = user.E164 ?? string.Empty;

        var word = Word(state, text);

        // "Anna Berger, 101, Busy": what a screen reader says for the tile.
        string label = text[stale ? "TileNameStale" : "TileName", name, number, word];

        var html = new StringBuilder(512)
            .Append("<div class=\"tile tile--").Append(token).Append(stale ? " tile--stale\"" : "\"")
            .Append(" data-testid=\"blf-tile\" data-guid=\"").Append(s_encoder.Encode(user.Guid))
            .Append("\" data-state=\"").Append(token).Append('"')
            .Append(stale ? " data-stale=\"true\"" : "")
            .Append(" role=\"group\" aria-label=\"").Append(s_encoder.Encode(label)).Append("\">")
            .Append(LampShape.HtmlFor(state))
            .Append("<span class=\"tile-name\" title=\"").Append(s_encoder.Encode(name)).Append("\">").Append(s_encoder.Encode(name)).Append("</span>")
            .Append("<span class=\"tile-number\">").Append(s_encoder.Encode(number)).Append("</span>")
            .Append("<span class=\"tile-state\">").Append(s_encoder.Encode(word));

        if (stale)
        {
            html.Append("<span class=\"tile-stale\"> (").Append(s_encoder.Encode(text["LastKnown"])).Append(")</span>");
        }
        else if (user.LampSinceUnixMs > 0)
        {
            // The page's script turns this into a ticking "3:12", so time passing costs the server nothing.
            html.Append("<span class=\"tile-since\" data-since=\"").Append(user.LampSinceUnixMs.ToString(CultureInfo.InvariantCulture)).Append("\" aria-hidden=\"true\"></span>");
        }

        return new MarkupString(html.Append("</span></div>").ToString());
    }

    /// <summary>A record's tile per language and staleness; boards read it from many threads.</summary>
    private sealed class Built
    {
        private readonly Lock _lock = new();
        private (string Culture, bool Stale, MarkupString Html)[] _variants = [];

        public MarkupString? Find(string culture, bool stale)
        {
            foreach (var variant in Volatile.Read(ref _variants))
            {
                if (variant.Stale == stale && variant.Culture == culture)
                {
                    return variant.Html;
                }
            }

            return null;
        }

        public MarkupString Add(string culture, bool stale, MarkupString html)
        {
            lock (_lock)
            {
                Volatile.Write(ref _variants, [.. _variants, (culture, stale, html)]);
            }

            return html;
        }
    }
}
