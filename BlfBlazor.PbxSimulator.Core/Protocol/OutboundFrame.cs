using System.Net.WebSockets;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>One frame waiting in a session's send queue; <paramref name="Sent"/>, when given, completes once it left (or the session ended).</summary>
internal readonly record struct OutboundFrame(ReadOnlyMemory<byte> Payload, WebSocketMessageType Type, TaskCompletionSource? Sent = null);
