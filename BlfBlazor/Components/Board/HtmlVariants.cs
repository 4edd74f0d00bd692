using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The HTML of one state record (a tile's user, a queue card's queue) per language, staleness and board
/// kind (with actions or not, with missed calls or not): built once, read by every open board from many threads.
/// </summary>
internal sealed class HtmlVariants
{
    private readonly Lock _lock = new();
    private (string Culture, bool Stale, bool Actions, bool Missed, MarkupString Html)[] _variants = [];

    public MarkupString? Find(string culture, bool stale, bool actions, bool missed = false)
    {
        foreach (var variant in Volatile.Read(ref _variants))
        {
            if (variant.Stale == stale && variant.Actions == actions && variant.Missed == missed && variant.Culture == culture)
            {
                return variant.Html;
            }
        }

        return null;
    }

    public MarkupString Add(string culture, bool stale, bool actions, MarkupString html) => Add(culture, stale, actions, missed: false, html);

    public MarkupString Add(string culture, bool stale, bool actions, bool missed, MarkupString html)
    {
        lock (_lock)
        {
            Volatile.Write(ref _variants, [.. _variants, (culture, stale, actions, missed, html)]);
        }

        return html;
    }
}
