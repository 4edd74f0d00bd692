using BlfBlazor.Benchmarks.Browser;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>
/// Many headless boards against one app: opened a few at a time (as people arrive, not all in the same
/// millisecond), checked against the simulator's truth, closed. Not thread-safe: one run drives it.
/// </summary>
internal sealed class BoardFleet(Uri page, int users) : IAsyncDisposable
{
    // Opening is the prerendered page plus a circuit's first render: a handful at once keeps both
    // busy without turning the open into a storm of its own.
    private const int OpenAtOnce = 8;
    private static readonly TimeSpan s_openTimeout = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly List<HeadlessBoard> _boards = [];

    public IReadOnlyList<HeadlessBoard> Boards => _boards;

    /// <summary>Boards the app refused to open (page, circuit or first render failed).</summary>
    public int Refused { get; private set; }

    /// <summary>Boards whose circuit went away while open, closed ones included.</summary>
    public int LostEver { get; private set; }

    /// <summary>Opens boards until <paramref name="count"/> are open, each with every tile shown.</summary>
    public async Task GrowToAsync(int count, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(OpenAtOnce);
        var opening = Enumerable.Range(0, Math.Max(0, count - _boards.Count)).Select(async _ =>
        {
            await slots.WaitAsync(ct);
            try
            {
                return await OpenOneAsync(ct);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        foreach (var board in await Task.WhenAll(opening))
        {
            if (board is not null)
            {
                _boards.Add(board);
            }
        }
    }

    /// <summary>Closes the board at <paramref name="index"/> as a page that is left does.</summary>
    public async Task CloseAsync(int index)
    {
        var board = _boards[index];
        _boards.RemoveAt(index);
        if (board.Lost is not null)
        {
            LostEver++;
        }

        await board.DisposeAsync();
    }

    /// <summary>Open boards whose circuit is gone.</summary>
    public int LostNow => _boards.Count(board => board.Lost is not null);

    /// <summary>Why open boards lost their circuits, the commonest first ("12× the server closed …").</summary>
    public IEnumerable<string> LostReasons =>
        _boards.Where(board => board.Lost is not null).GroupBy(board => board.Lost).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}");

    /// <summary>Open boards that do not show exactly <paramref name="lamps"/> (every user, that lamp, none stale).</summary>
    public int Differing(IReadOnlyDictionary<string, string> lamps) =>
        _boards.Count(board =>
        {
            var tiles = board.Tiles();
            return tiles.Count != lamps.Count || lamps.Any(lamp => !tiles.TryGetValue(lamp.Key, out var tile) || tile.State != lamp.Value || tile.Stale);
        });

    /// <summary>Open boards whose queue cards do not show exactly <paramref name="counts"/> (every queue, its callers waiting).</summary>
    public int DifferingQueues(IReadOnlyDictionary<string, string> counts) =>
        _boards.Count(board =>
        {
            var queues = board.Queues();
            return queues.Count != counts.Count || counts.Any(count => !queues.TryGetValue(count.Key, out var shown) || shown != count.Value);
        });

    /// <summary>Each open board's queue card changes since the last call.</summary>
    public IReadOnlyList<IReadOnlyList<Observation>> TakeQueueSeen() => [.. _boards.Select(board => board.TakeQueueSeen())];

    /// <summary>Each open board's tile changes since the last call.</summary>
    public IReadOnlyList<IReadOnlyList<Observation>> TakeSeen() => [.. _boards.Select(board => board.TakeSeen())];

    private async Task<HeadlessBoard?> OpenOneAsync(CancellationToken ct)
    {
        HeadlessBoard? board = null;
        try
        {
            board = await HeadlessBoard.OpenAsync(_http, page, users, ct);
            await board.WaitCompleteAsync(s_openTimeout, ct);
            return board;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Refused++;
            Console.Error.WriteLine($"  a board did not open: {ex.Message}");
            if (board is not null)
            {
                await board.DisposeAsync();
            }

            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var board in _boards)
        {
            await board.DisposeAsync();
        }

        _boards.Clear();
        _http.Dispose();
    }
}
