using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlfBlazor.Benchmarks.Browser;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>
/// One open board without a browser: Blazor Server's circuit protocol spoken directly. It loads the
/// prerendered page, starts a circuit for the page's server components on <c>/_blazor</c>, decodes
/// every render batch, keeps each tile's latest markup as the page would show it, and acknowledges
/// every batch (the server stops sending after a few unacknowledged ones). Each tile change is logged
/// with the time it was decoded, for latency against the simulator's send time. Where the page owns its
/// tile list (tiles in place), the tiles come instead as the page script's payloads (BoardDelta's JSON,
/// the arguments of a <c>blfBoard.applyTiles</c> call): adopted as nothing (so the first is the full
/// list), then applied by key, staleness as one flag for the whole board.
/// </summary>
internal sealed partial class HeadlessBoard : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TileMarkup> _tiles = new(StringComparer.Ordinal);
    private readonly List<Observation> _seen = [];
    private readonly Dictionary<string, string> _queues = new(StringComparer.Ordinal);
    private readonly List<Observation> _queueSeen = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Guid, Func<TileMarkup, bool> Shows, TaskCompletionSource Shown)> _waiters = [];
    private readonly int _expectedTiles;
    private bool _stale;
    private bool _closing;

    private readonly HttpClient _http;
    private readonly Uri _page;
    private string? _circuit;

    private HeadlessBoard(HttpClient http, Uri page, HubConnection connection, int expectedTiles)
    {
        _http = http;
        _page = page;
        _connection = connection;
        _expectedTiles = expectedTiles;
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // Task id, identifier, arguments (JSON), result type, target instance, call type (.NET 10 added the last).
        _connection.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], OnBeginInvokeJSAsync);
        _connection.On<string>("JS.Error", error => Lose($"the server reported: {error}"));
        _connection.Closed += error =>
        {
            if (!Volatile.Read(ref _closing))
            {
                Lose(error?.Message ?? "the connection closed");
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Why the circuit was lost (closed by the server or the network, or an error), null while it is up.</summary>
    public string? Lost { get; private set; }

    /// <summary>Render batches decoded so far.</summary>
    public int Batches { get; private set; }

    /// <summary>
    /// Opens a board at <paramref name="page"/>: the prerendered page, then the circuit; returns once
    /// the circuit is started (its first render may still be on the way, see <see cref="WaitCompleteAsync"/>).
    /// </summary>
    public static async Task<HeadlessBoard> OpenAsync(HttpClient http, Uri page, int expectedTiles, CancellationToken ct)
    {
        var html = await http.GetStringAsync(page, ct);
        var (operations, state) = RootComponents(html);
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(page, "/_blazor"), options => options.Transports = HttpTransportType.WebSockets);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var connection = builder.Build();
        var board = new HeadlessBoard(http, page, connection, expectedTiles);
        try
        {
            await connection.StartAsync(ct);
            var baseUri = new Uri(page, "/").ToString();
            var circuit = await connection.InvokeAsync<string?>("StartCircuit", baseUri, page.ToString(), "[]", state, ct);
            board._circuit = circuit ?? throw new InvalidOperationException($"The server refused the circuit: {board.Lost ?? "no reason given"}.");

            await connection.SendAsync("UpdateRootComponents", operations, state, ct);
            return board;
        }
        catch
        {
            await board.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the board shows at least the expected number of tiles.</summary>
    public Task WaitCompleteAsync(TimeSpan timeout, CancellationToken ct) => _complete.Task.WaitAsync(timeout, ct);

    /// <summary>Waits until the board shows <paramref name="guid"/>'s tile as <paramref name="shows"/> wants it.</summary>
    public Task WaitForTileAsync(string guid, Func<TileMarkup, bool> shows, TimeSpan timeout)
    {
        var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_tiles.TryGetValue(guid, out var tile) && shows(tile))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((guid, shows, shown));
        }

        return shown.Task.WaitAsync(timeout);
    }

    /// <summary>Every tile as the board shows it now, by user guid.</summary>
    public IReadOnlyDictionary<string, TileMarkup> Tiles()
    {
        lock (_gate)
        {
            return new Dictionary<string, TileMarkup>(_tiles, StringComparer.Ordinal);
        }
    }

    /// <summary>Every queue card's callers waiting as the board shows it now, by queue guid.</summary>
    public IReadOnlyDictionary<string, string> Queues()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_queues, StringComparer.Ordinal);
        }
    }

    /// <summary>Every queue card change (its callers waiting as the state) decoded since the last call, with when.</summary>
    public IReadOnlyList<Observation> TakeQueueSeen()
    {
        lock (_gate)
        {
            var seen = _queueSeen.ToArray();
            _queueSeen.Clear();
            return seen;
        }
    }

    /// <summary>Every tile change this board has decoded since it opened (or since the last call), with when.</summary>
    public IReadOnlyList<Observation> TakeSeen()
    {
        lock (_gate)
        {
            var seen = _seen.ToArray();
            _seen.Clear();
            return seen;
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        string? error = null;
        try
        {
            var markup = RenderBatchReader.Markup(batch);
            var at = DateTimeOffset.UtcNow.Subtract(DateTimeOffset.UnixEpoch).TotalMilliseconds;
            lock (_gate)
            {
                Batches++;
                foreach (var frame in markup)
                {
                    if (TileMarkup.Read(frame) is { } tile)
                    {
                        _tiles[tile.Guid] = tile;
                        _seen.Add(new Observation(tile.Guid, tile.State, at));
                    }
                    else if (QueueMarkup.Read(frame) is { } queue)
                    {
                        // Queue cards are rendered by the board's queue section: they come in render batches.
                        _queues[queue.Guid] = queue.Waiting;
                        _queueSeen.Add(new Observation(queue.Guid, queue.Waiting, at));
                    }
                }

                if (_tiles.Count >= _expectedTiles)
                {
                    _complete.TrySetResult();
                }

                _waiters.RemoveAll(waiter => _tiles.TryGetValue(waiter.Guid, out var tile) && waiter.Shows(tile) && waiter.Shown.TrySetResult());
            }
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            Lose($"an undecodable render batch: {ex.Message}");
        }

        // Acknowledged as a browser does once the batch is applied; without it the server stops sending.
        await _connection.SendAsync("OnRenderCompleted", batchId, error);
    }

    /// <summary>
    /// The page script's calls: tile payloads are applied; everything else, and the adoption (this board
    /// adopted no tiles), is answered with success and no value.
    /// </summary>
    private Task OnBeginInvokeJSAsync(object?[] arguments)
    {
        var taskId = (long)arguments[0]!;
        if (arguments[1] is "blfBoard.applyTiles" && arguments[2] is string args)
        {
            try
            {
                ApplyTiles(args);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Lose($"an unreadable tile payload: {ex.Message}");
                return taskId == 0
                    ? Task.CompletedTask
                    : _connection.SendAsync("EndInvokeJSFromDotNet", taskId, false, JsonSerializer.Serialize(new object[] { taskId, false, ex.Message }));
            }
        }

        return taskId == 0
            ? Task.CompletedTask // fire-and-forget calls expect no answer
            : _connection.SendAsync("EndInvokeJSFromDotNet", taskId, true, $"[{taskId},true,null]");
    }

    /// <summary>One change's payloads (the call's arguments), applied in order as the page applies them.</summary>
    private void ApplyTiles(string args)
    {
        var at = DateTimeOffset.UtcNow.Subtract(DateTimeOffset.UnixEpoch).TotalMilliseconds;
        using var arguments = JsonDocument.Parse(args);
        lock (_gate)
        {
            foreach (var payload in arguments.RootElement.EnumerateArray())
            {
                ApplyPayload(payload, at);
            }

            if (_tiles.Count >= _expectedTiles)
            {
                _complete.TrySetResult();
            }

            _waiters.RemoveAll(waiter => _tiles.TryGetValue(waiter.Guid, out var tile) && waiter.Shows(tile) && waiter.Shown.TrySetResult());
        }
    }

    private void ApplyPayload(JsonElement root, double at)
    {
        var stale = root.GetProperty("stale").GetBoolean();
        var full = root.TryGetProperty("full", out var isFull) && isFull.GetBoolean();
        if (full)
        {
            _tiles.Clear();
        }

        if (stale != _stale)
        {
            // Stale as a whole: every tile the board shows is marked, or live again, by one flag.
            _stale = stale;
            foreach (var guid in _tiles.Keys.ToList())
            {
                _tiles[guid] = _tiles[guid] with { Stale = stale };
            }
        }

        foreach (var section in root.GetProperty("sections").EnumerateArray())
        {
            if (!full)
            {
                foreach (var removed in section.GetProperty("removed").EnumerateArray())
                {
                    _tiles.Remove(removed.GetString()!);
                }
            }

            var tiles = full
                ? section.GetProperty("tiles").EnumerateArray()
                : section.GetProperty("changed").EnumerateArray().Concat(section.GetProperty("placed").EnumerateArray().Where(p => p.TryGetProperty("html", out _)));
            foreach (var shown in tiles)
            {
                if (TileMarkup.Read(shown.GetProperty("html").GetString()!) is { } tile)
                {
                    _tiles[tile.Guid] = tile;
                    _seen.Add(new Observation(tile.Guid, tile.State, at));
                }
            }
        }
    }

    private void Lose(string why)
    {
        lock (_gate)
        {
            Lost ??= why;
        }

        _complete.TrySetException(new InvalidOperationException($"The board's circuit was lost: {why}"));
    }

    /// <summary>
    /// The page's server components as one "add" operation each (what blazor.web.js sends after
    /// StartCircuit), and the prerendered application state.
    /// </summary>
    internal static (string Operations, string State) RootComponents(string html)
    {
        var operations = new JsonArray();
        foreach (Match marker in ComponentMarker().Matches(html))
        {
            if (JsonNode.Parse(marker.Groups[1].Value) is JsonObject json && json["type"]?.GetValue<string>() == "server" && json.ContainsKey("descriptor"))
            {
                operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = operations.Count + 1, ["marker"] = json });
            }
        }

        if (operations.Count == 0)
        {
            throw new InvalidOperationException("The page has no prerendered server component.");
        }

        var state = ComponentState().Match(html) is { Success: true } found ? found.Groups[1].Value : string.Empty;
        return (new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString(), state);
    }

    /// <summary>
    /// Leaves the page as a browser does: says so on <c>/_blazor/disconnect</c>, so the server ends the
    /// circuit at once instead of keeping it for a reconnection that will not come, then closes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closing, true);
        if (_circuit is not null && Lost is null)
        {
            try
            {
                using var form = new FormUrlEncodedContent([new("circuitId", _circuit)]);
                using var response = await _http.PostAsync(new Uri(_page, "/_blazor/disconnect"), form);
            }
            catch (HttpRequestException)
            {
                // The app is gone: nothing left to tell.
            }
        }

        await _connection.DisposeAsync();
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex ComponentMarker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex ComponentState();
}
