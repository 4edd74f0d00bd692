using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// A request a session read after its login: the session's id, the <c>mt</c> and the whole frame. Named
/// after RCC, where the log began; PbxApi and PbxTableUsers requests are recorded alike (the frame has the api).
/// </summary>
public sealed record RccRequest(int Session, string Mt, JsonElement Message)
{
    /// <summary>The frame as JSON text (re-serialised from what was read).</summary>
    public string Json => Message.GetRawText();
}

/// <summary>
/// The requests the PBX read, for tests that assert exactly what a client sent; bounded, so a
/// long demo or benchmark run does not grow without end. Waiters are completed outside the lock.
/// </summary>
internal sealed class RequestLog
{
    private const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<RccRequest> _requests = new();
    private readonly List<(string Mt, TaskCompletionSource<RccRequest> Next)> _waiters = [];

    public IReadOnlyList<RccRequest> Snapshot
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    public void Add(RccRequest request)
    {
        List<TaskCompletionSource<RccRequest>> due = [];
        lock (_gate)
        {
            if (_requests.Count == Capacity)
            {
                _requests.Dequeue();
            }

            _requests.Enqueue(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_waiters[i].Mt, request.Mt, StringComparison.Ordinal))
                {
                    due.Add(_waiters[i].Next);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var next in due)
        {
            next.TrySetResult(request);
        }
    }

    /// <summary>Completes with the first request of this mt added after the call.</summary>
    public async Task<RccRequest> NextAsync(string mt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mt);
        var waiter = (mt, new TaskCompletionSource<RccRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _waiters.Add(waiter);
        }

        await using var registration = ct.Register(() =>
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            waiter.Item2.TrySetCanceled(ct);
        });
        return await waiter.Item2.Task;
    }
}
