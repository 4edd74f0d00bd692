using BlfBlazor.Operators;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlfBlazor.Components;

/// <summary>
/// One circuit's connection to its browser: says when it came back after being down. While it was
/// down the page's script marked the board stale in the DOM, behind the render tree's back, so
/// after a reconnection the tree no longer describes what the browser shows. Also where the circuit
/// came from, for the audit trail.
/// </summary>
public sealed class CircuitConnection(IHttpContextAccessor httpContext) : CircuitHandler
{
    private int _connections;

    /// <summary>
    /// The circuit's id (its public part, not the secret a reconnection presents) and the browser's
    /// address (behind a trusted proxy: the forwarded one); unknown until the circuit has opened.
    /// </summary>
    public ActionOrigin Origin { get; private set; } = ActionOrigin.Unknown;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Opened inside the hub call that starts the circuit, so the accessor holds the WebSocket's
        // request; later hub calls are no place to ask for it.
        Origin = new ActionOrigin(circuit.Id, httpContext.HttpContext?.Connection.RemoteIpAddress?.ToString());
        return Task.CompletedTask;
    }

    /// <summary>Raised on the circuit's every connection after its first.</summary>
    public event Action? Reconnected;

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Counted rather than paired with "down": a transfer to a new connection while the server
        // still thought the old one alive (a silent network path) is a reconnection too.
        if (Interlocked.Increment(ref _connections) > 1)
        {
            Reconnected?.Invoke();
        }

        return Task.CompletedTask;
    }
}
