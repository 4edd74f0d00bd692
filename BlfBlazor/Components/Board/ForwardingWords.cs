using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Board;

/// <summary>Where a colleague's calls go, in operators' words: the tile's buttons and the forwarding menu say it alike.</summary>
public static class ForwardingWords
{
    /// <summary>
    /// "Anna Berger's calls go to 0171 …": the destination as shown, or only that it is external, or left
    /// out where the board may not say it; the name, never a pronoun (en and de alike).
    /// </summary>
    public static string Where(Diversion diversion, string name, IStringLocalizer<ActionText> text) =>
        (diversion.Shown ?? (diversion.IsExternal ? text["ExternalNumber"].Value : null)) is { } to
            ? text[$"ForwardsTo{diversion.Kind}", name, to]
            : text[$"Forwards{diversion.Kind}", name];
}
