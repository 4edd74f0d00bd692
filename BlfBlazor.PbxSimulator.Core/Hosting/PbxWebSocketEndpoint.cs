using System.Net;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>The PBX's AppWebsocket endpoint: accepts the upgrade and runs one <see cref="AppWebsocketSession"/> per connection.</summary>
internal static partial class PbxWebSocketEndpoint
{
    public const string Path = "/PBX0/APPS/websocket";

    public static async Task HandleAsync(HttpContext context)
    {
        // The simulator is a test double: it talks to this machine only, whatever address it was bound to.
        if (!IsLocal(context.Connection.RemoteIpAddress))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This is the AppWebsocket endpoint of a simulated PBX; connect with a WebSocket.\n");
            return;
        }

        var services = context.RequestServices;
        var pbx = services.GetRequiredService<SimulatedPbx>();
        var settings = services.GetRequiredService<SessionSettings>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var logger = services.GetRequiredService<ILogger<AppWebsocketSession>>();

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new AppWebsocketSession(socket, pbx, settings, context.Abort, logger);
        try
        {
            await session.RunAsync(lifetime.ApplicationStopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken session must never take the host down.
            Log.SessionFailed(logger, session.Id, ex);
        }
    }

    internal static bool IsLocal(IPAddress? remote) =>
        remote is null // in-memory test servers have no remote address
        || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Session {Session} failed")]
        public static partial void SessionFailed(ILogger logger, int session, Exception exception);
    }
}
