namespace BlfBlazor.State;

/// <summary>How soon a colleague should call back (<c>data-callback-urgency</c>).</summary>
public enum CallbackUrgency
{
    Normal,
    Urgent,
}

/// <summary>
/// A message an operator took for a colleague: who called, what about, and whether it was dealt with.
/// </summary>
/// <param name="Id">The board's own id (a guid), what "done" and "call back" name.</param>
/// <param name="UserGuid">The colleague the message is for.</param>
/// <param name="Caller">Who called, as <c>Blf:CallDetails</c> lets the board keep it (no number unless <c>Full</c>).</param>
/// <param name="Note">What the operator wrote (at most <see cref="MaxNoteLength"/> characters).</param>
/// <param name="TakenBy">The operator's login claim value (never a display name).</param>
/// <param name="DoneBy">Who marked it done: an operator's or the colleague's login claim value.</param>
public sealed record Callback(
    string Id,
    string UserGuid,
    CallPeer? Caller,
    string Note,
    CallbackUrgency Urgency,
    long AtUnixMs,
    string TakenBy,
    long? DoneAtUnixMs = null,
    string? DoneBy = null)
{
    /// <summary>Longer notes are refused, on the server; the dialog's box says so first.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>A caller's name or number as typed into the dialog; longer is refused.</summary>
    public const int MaxCallerLength = 100;

    public bool IsDone => DoneAtUnixMs is not null;

    /// <summary><c>data-callback-state</c>: <c>open</c> or <c>done</c>.</summary>
    public string StateWord => IsDone ? "done" : "open";

    public string UrgencyWord => Urgency == CallbackUrgency.Urgent ? "urgent" : "normal";

    public static CallbackUrgency ParseUrgency(string? word) => word == "urgent" ? CallbackUrgency.Urgent : CallbackUrgency.Normal;

    /// <summary>Text a person typed that the board may keep: not too long, no control characters but line breaks in a note.</summary>
    public static bool IsFitText(string? text, int maxLength, bool multiline = false) =>
        text is null || (text.Length <= maxLength && !text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r')));
}

/// <summary>A user's open callbacks as a tile and My calls show them, newest first.</summary>
public sealed record UserCallbacks(IReadOnlyList<Callback> Open)
{
    public static readonly UserCallbacks None = new([]);
}
