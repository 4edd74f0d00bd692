using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlfBlazor.Components;

/// <summary>
/// One circuit's connection to its browser: says when it came back after being down. While it was
/// down the page's script marked the board stale in the DOM, behind the render tree's back, so
/// after a reconnection the tree no longer describes what the browser shows.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private int _connections;

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
