using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// A shape per state, so the lamp reads without its colour: ring, dot, square, diamond. Plain SVG
/// text, because tiles are built as HTML once and shared by every board (see <see cref="LampTile"/>).
/// </summary>
public static class LampShape
{
    private static readonly string[] s_svg =
    [
        Svg(LampState.Offline, """<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/>"""),
        Svg(LampState.Idle, """<circle cx="8" cy="8" r="6.5" fill="currentColor"/>"""),
        Svg(LampState.Busy, """<rect x="2" y="2" width="12" height="12" rx="1.5" fill="currentColor"/>"""),
        Svg(LampState.Ringing, """<path d="M8 0.8 L15.2 8 L8 15.2 L0.8 8 Z" fill="currentColor"/>"""),
    ];

    /// <summary>The lamp's SVG, hidden from screen readers (the tile's words say the state).</summary>
    public static string SvgFor(LampState state) => s_svg[(int)state];

    private static string Svg(LampState state, string shape) =>
        $"""<svg class="lamp lamp--{state.ToToken()}" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">{shape}</svg>""";
}
