using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The lamp: a shape per state, so it reads without its colour (ring, dot, square, diamond). One
/// empty element whose state class tiles.css draws: a board of 1,000 tiles is parsed at once, and
/// an inline SVG per tile made its HTML a third larger and doubled the lamp's elements.
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

    /// <summary>The lamp's element, hidden from screen readers (the words next to it say the state).</summary>
    public static string HtmlFor(LampState state) => s_html[(int)state];

    private static string Html(LampState state) =>
        $"""<i class="lamp lamp--{state.ToToken()}" aria-hidden="true"></i>""";
}
