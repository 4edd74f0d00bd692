using System.Buffers;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// Writes a session's frames to its socket, one at a time, through one reused buffer. A caller may
/// give up waiting for its turn, but once a frame is being written only the end of the session can
/// stop it: a <c>ClientWebSocket.SendAsync</c> whose token fires mid-send aborts the socket, and that
/// socket carries every board and every operator's action, not just the caller's.
/// </summary>
/// <param name="sendFrame">Sends one whole text frame (the socket's own send).</param>
/// <param name="sessionEnd">Fires only when the session itself stops (after its polite close had its chance).</param>
internal sealed class PbxFrameSender(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sendFrame, CancellationToken sessionEnd) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Writes one frame; <paramref name="cancellationToken"/> cancels only the wait for the turn.</summary>
    public async ValueTask SendAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            _buffer.ResetWrittenCount();
            write(_buffer);
            await sendFrame(_buffer.WrittenMemory, sessionEnd);
        }
        finally
        {
            // The login message holds the digest; clear it rather than leave it in a reused buffer.
            _buffer.Clear();
            _turn.Release();
        }
    }

    /// <summary>Runs <paramref name="last"/> (the close frame) after whatever frame is being written, waiting at most until <paramref name="cancellationToken"/>.</summary>
    public async Task LastAsync(Func<Task> last, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            await last();
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
