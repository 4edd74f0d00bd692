using BlfBlazor.State;
using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The lamp of the counts and the legend: a shape per state, so it reads without its colour (ring,
/// dot, square, diamond). One empty element whose state class tiles.css draws; a tile draws the same
/// shapes as its own ::before from its data-state, with no element at all (1,000 tiles are parsed at once).
/// </summary>
public static class LampShape
{
    private static readonly string[] s_html =
    [
        Html(LampState.Offline),
        Html(LampState.Idle),
        Html(LampState.Busy),
        Html(LampState.Ringing),
    ];

    /// <summary>
    /// The lamp's element, hidden from screen readers (the words next to it say the state), as markup for the board's chrome (counts, filters, legend: twelve on every board). Markup,
    /// not a component: a component costs every open board its own state and render buffers.
    /// </summary>
    public static MarkupString For(LampState state) => new(s_html[(int)state]);

    private static string Html(LampState state) =>
        $"""<i class="lamp lamp--{state.ToToken()}" aria-hidden="true"></i>""";
}
