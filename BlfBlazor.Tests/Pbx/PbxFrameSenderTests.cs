using System.Buffers;
using System.Text;
using BlfBlazor.Pbx.Connection;

namespace BlfBlazor.Tests.Pbx;

/// <summary>
/// The session's frame writer: a board or an action that gives up never aborts the shared PBX socket
/// (a WebSocket send whose token fires mid-send aborts the socket); only the session's end stops a write.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PbxFrameSenderTests : IDisposable
{
    private readonly CancellationTokenSource _sessionEnd = new();
    private readonly List<(string Frame, CancellationToken Token, TaskCompletionSource Written)> _writes = [];
    private readonly PbxFrameSender _sender;

    public PbxFrameSenderTests()
    {
        // A socket whose sends stay in progress until the test lets them complete.
        _sender = new PbxFrameSender(
            (frame, token) =>
            {
                var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_writes)
                {
                    _writes.Add((Encoding.UTF8.GetString(frame.Span), token, written));
                }

                return new ValueTask(written.Task);
            },
            _sessionEnd.Token);
    }

    [Fact]
    public async Task An_action_cancelled_while_its_frame_is_being_written_lets_the_write_finish()
    {
        using var action = new CancellationTokenSource();
        var sending = _sender.SendAsync(w => w.Write("UserCall"u8), action.Token);
        var write = Assert.Single(_writes);

        await action.CancelAsync();

        Assert.False(write.Token.IsCancellationRequested, "the socket's send was cancelled with the action: it would abort the PBX connection");
        write.Written.SetResult();
        await sending;
        Assert.Equal("UserCall", write.Frame);
    }

    [Fact]
    public async Task An_action_cancelled_while_waiting_for_its_turn_sends_nothing_and_the_next_frame_goes_out()
    {
        var first = _sender.SendAsync(w => w.Write("first"u8), CancellationToken.None);
        using var action = new CancellationTokenSource();
        var waiting = _sender.SendAsync(w => w.Write("given up"u8), action.Token);

        await action.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(waiting.AsTask);
        _writes[0].Written.SetResult();
        await first;
        var next = _sender.SendAsync(w => w.Write("next"u8), CancellationToken.None);
        _writes[^1].Written.SetResult();
        await next;

        Assert.Equal(["first", "next"], _writes.Select(w => w.Frame));
    }

    [Fact]
    public async Task Only_the_end_of_the_session_stops_a_frame_being_written()
    {
        var sending = _sender.SendAsync(w => w.Write("UserCall"u8), CancellationToken.None);

        await _sessionEnd.CancelAsync();

        Assert.True(Assert.Single(_writes).Token.IsCancellationRequested);
        _writes[0].Written.SetResult();
        await sending;
    }

    public void Dispose()
    {
        _sender.Dispose();
        _sessionEnd.Dispose();
    }
}
