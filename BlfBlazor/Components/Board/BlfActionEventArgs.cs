using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>An operator's click on a tile's action button, or Enter on a tile (board.js raises it).</summary>
public sealed class BlfActionEventArgs : EventArgs
{
    /// <summary>The button's <c>data-action</c>: call, pickup, transfer, transfer-desk, announce, announce-desk, presence, forward, take-message; callback-done, callback-call in the detail; take on a queue card.</summary>
    public string? Action { get; set; }

    /// <summary>The tile's user, or the queue card's queue.</summary>
    public string? Guid { get; set; }

    /// <summary>A queue card's caller to take (the button's <c>data-call</c>; null for the card's "take the next caller"), or the detail item a tile's button names (a missed call's key, a callback's id).</summary>
    public string? Call { get; set; }
}

/// <summary>Makes <c>@onblfaction</c> known to Razor.</summary>
[EventHandler("onblfaction", typeof(BlfActionEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers;
