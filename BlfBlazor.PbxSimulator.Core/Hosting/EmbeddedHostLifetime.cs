namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>
/// Lifetime of a simulator hosted inside another process: it starts and stops when its owner says
/// so, and leaves Ctrl+C and SIGTERM to the owner's host.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
