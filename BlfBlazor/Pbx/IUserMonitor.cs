using System.Buffers;
using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>Sends one request on the session's socket.</summary>
internal delegate ValueTask PbxSend(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken);

/// <summary>
/// Something one connection watches per user beyond the lamp (calls, presence): told which users the
/// list has, handed the messages that answer it, and writing what it learns into the state.
/// Lives as long as its connection: handles and subscriptions die with the socket.
/// </summary>
internal interface IUserMonitor
{
    /// <summary>How many users are monitored now (answered, not just asked).</summary>
    int Monitored { get; }

    /// <summary>A sentence for <c>/healthz</c> when something is capped or refused.</summary>
    string? Problem { get; }

    ValueTask UserListedAsync(PbxUserInfo user, CancellationToken cancellationToken);

    ValueTask UserDeletedAsync(string guid, CancellationToken cancellationToken);

    /// <summary>Applies a message meant for this monitor; returns why it was dropped, or null.</summary>
    ValueTask<string?> HandleAsync(PbxMessage message, CancellationToken cancellationToken);
}

internal static class UserMonitors
{
    /// <summary>
    /// Tells a monitor what a <c>UserInfo</c> says: a user it should watch, or one gone. An object that
    /// gets no tile (a trunk, a gateway, …; <c>Blf:ShowObjects</c>) counts as gone: watching its calls
    /// or presence would cost a handle and a place under the caps for nothing anyone sees.
    /// </summary>
    public static ValueTask TellAsync(this IUserMonitor monitor, in PbxMessage message, ShownObjects shown, CancellationToken cancellationToken) =>
        message.User is { } user && shown.IsShown(user.Pseudo)
            ? monitor.UserListedAsync(user, cancellationToken)
            : monitor.UserDeletedAsync(message.Guid!, cancellationToken);
}
