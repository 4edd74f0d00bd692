using BlfBlazor.Diagnostics;
using Microsoft.JSInterop;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The page's address as this circuit's board last wrote it: the board's view (search, filters, sort),
/// so it can be bookmarked or embedded. One per circuit, so it outlives a board rendered anew after a
/// reconnection (the board then keeps the view the person chose, not the address it was opened with).
/// </summary>
/// <remarks>
/// The address follows the view after a pause in typing, last value wins: a page that types faster than
/// its own round trips would otherwise queue a navigation per keystroke behind its own backlog. The
/// address is replaced by board.js directly (an awaited call the board can catch), not by
/// <c>NavigationManager</c>, whose failed navigation ends the circuit.
/// </remarks>
public sealed partial class ViewUrl(IJSRuntime js, TimeProvider timeProvider, ILogger<ViewUrl> logger) : IDisposable
{
    /// <summary>How long the view must stay unchanged before the address follows it.</summary>
    public static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(300);

    private readonly LogThrottle _failureLog = new(timeProvider, TimeSpan.FromSeconds(10));
    private ITimer? _timer;
    private string? _pending;
    private Func<Func<Task>, Task>? _dispatch;

    /// <summary>The address the page shows; null until the board wrote one (the page's own address then).</summary>
    public string? Current { get; private set; }

    /// <summary>The address's query parameters the board last read its view from (null: none read yet).</summary>
    /// <remarks>The <c>?grp=</c> values joined by a line feed, so equal addresses compare equal.</remarks>
    public (string? Search, string? States, string? Sort, string? Group, string? PbxGroups)? ReadFrom { get; set; }

    /// <summary>The view the board last showed on this circuit, kept for a board rendered anew.</summary>
    public BoardQuery? Shown { get; set; }

    /// <summary>Writes <paramref name="uri"/> into the address once the view has stayed unchanged for <see cref="TypingPause"/>.</summary>
    /// <param name="dispatch">Runs the write on the circuit (the board's InvokeAsync).</param>
    public void WriteSoon(string uri, Func<Func<Task>, Task> dispatch)
    {
        Current = uri;
        _pending = uri;
        _dispatch = dispatch;
        _timer ??= timeProvider.CreateTimer(_ => _ = _dispatch!(WritePendingAsync), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(TypingPause, Timeout.InfiniteTimeSpan);
    }

    private async Task WritePendingAsync()
    {
        if (_pending is not { } uri)
        {
            return;
        }

        _pending = null;
        try
        {
            await js.InvokeVoidAsync("blfBoard.replaceUrl", uri);
        }
        catch (Exception ex) when (ex is JSException or OperationCanceledException or JSDisconnectedException or InvalidOperationException)
        {
            // The view is shown already; only the address lags. A page that cannot keep up must not lose its board for it.
            if (_failureLog.ShouldLog(out var suppressed))
            {
                Log.AddressNotWritten(logger, suppressed, ex.GetType().Name);
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "A board's address did not follow its view ({Failure}); {Suppressed} more since the last line")]
        public static partial void AddressNotWritten(ILogger logger, int suppressed, string failure);
    }
}
