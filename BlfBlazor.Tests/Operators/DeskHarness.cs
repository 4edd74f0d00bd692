using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using BlfBlazor.Pbx;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Operators;

/// <summary>
/// The operator desk on a connection without a socket: requests it sends come out as parsed JSON, in
/// order; PBX answers go in as JSON text through the client's own readers, as the session routes them.
/// </summary>
internal sealed class DeskHarness : IDisposable
{
    private readonly Channel<JsonElement> _sent = Channel.CreateUnbounded<JsonElement>();
    private OperatorDesk.IOperatorDeskLink? _link;

    public DeskHarness()
    {
        Desk = new OperatorDesk(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), Time, NullLogger<OperatorDesk>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public OperatorDesk Desk { get; }

    /// <summary>A connection logs in: the desk asks for the handles of every phone with an open board.</summary>
    public async Task ConnectAsync()
    {
        _link = Desk.Attach((write, _) =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            write(buffer);
            _sent.Writer.TryWrite(JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone());
            return ValueTask.CompletedTask;
        });
        await _link.StartAsync(CancellationToken.None);
    }

    public void Disconnect() => _link?.Dispose();

    /// <summary>The next request the desk sent, waiting for it (the desk sends from its own continuations).</summary>
    public async Task<JsonElement> NextSentAsync(string mt)
    {
        var next = await _sent.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.StateShown);
        Assert.Equal(mt, next.GetProperty("mt").GetString());
        return next;
    }

    public bool NothingSent => !_sent.Reader.TryPeek(out _);

    /// <summary>Feeds one PBX message; true when the desk took it.</summary>
    public bool Feed(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(PbxFrameReader.TryRead(utf8, null, out var frame, out var error), error);
        Assert.True(MonitorFrameReader.TryRead(utf8, frame.Type, out var monitorFrame, out var monitorError), monitorError);
        return _link!.TryHandle(monitorFrame);
    }

    /// <summary>Answers the phone's UserInitialize with <paramref name="handle"/>.</summary>
    public async Task GiveHandleAsync(string cn, uint handle)
    {
        var request = await NextSentAsync("UserInitialize");
        Assert.Equal(cn, request.GetProperty("cn").GetString());
        Assert.True(Feed($$"""{"api":"RCC","mt":"UserInitializeResult","src":"{{request.GetProperty("src").GetString()}}","user":{{handle}}}"""));
    }

    public void Dispose() => _link?.Dispose();
}
