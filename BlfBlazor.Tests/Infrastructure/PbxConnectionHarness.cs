using System.Buffers;
using System.Text;
using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// One logged-in PBX connection without a socket: frames go in as JSON text through the client's own
/// reader and its <see cref="PbxDispatcher"/>, exactly as the session hands them on after the login;
/// requests the connection sends come out as text. No routing of its own: what the dispatcher does is
/// what the tests see.
/// </summary>
internal sealed class PbxConnectionHarness : IDisposable
{
    private readonly Action<string>? _sentTo;

    public PbxConnectionHarness(
        IPbxStateWriter state,
        TimeProvider time,
        PbxOptions? options = null,
        PrivacyOptions? privacy = null,
        IEnumerable<IRccCallControl>? callControls = null,
        Action<string>? sentTo = null)
    {
        _sentTo = sentTo;
        Dispatcher = new PbxDispatcher(
            options ?? new PbxOptions { CallFeed = CallFeed.Off },
            privacy ?? new PrivacyOptions { Presence = PresenceDetails.Off, Forwarding = ForwardingDetails.Off },
            state,
            callControls ?? [],
            SendAsync,
            time,
            NullLogger.Instance);
    }

    public PbxDispatcher Dispatcher { get; }

    /// <summary>Every request the connection sent, in order.</summary>
    public List<string> Sent { get; } = [];

    /// <summary>Why frames were dropped (malformed or unmatched), in order.</summary>
    public List<string> Dropped { get; } = [];

    /// <summary>The login succeeded: the dispatcher asks for the list and what the call controls need.</summary>
    public Task StartAsync() => Dispatcher.StartAsync(CancellationToken.None).AsTask();

    /// <summary>Feeds frames in order; a dropped one is noted in <see cref="Dropped"/>.</summary>
    public async Task FeedAsync(params string[] frames)
    {
        foreach (var json in frames)
        {
            if (await FeedOneAsync(json) is { } dropped)
            {
                Dropped.Add(dropped);
            }
        }
    }

    /// <summary>Feeds one frame; returns why it was dropped, or null when a client took it.</summary>
    public async Task<string?> FeedOneAsync(string json)
    {
        if (!PbxMessageReader.TryRead(Encoding.UTF8.GetBytes(json), Dispatcher.KnownUsers, out var message, out var error))
        {
            return error;
        }

        return await Dispatcher.DispatchAsync(message, CancellationToken.None);
    }

    private ValueTask SendAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Sent.Add(text);
        _sentTo?.Invoke(text);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => Dispatcher.Dispose();
}
