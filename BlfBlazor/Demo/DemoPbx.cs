using System.Security.Cryptography;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.PbxSimulator.Core.Hosting;

namespace BlfBlazor.Demo;

/// <summary>
/// With no PBX configured, the board runs against the simulated PBX, hosted in this process on a
/// loopback port and reached through the very same WebSocket client as a real PBX.
/// </summary>
internal sealed partial class DemoPbx(ILogger<DemoPbx> logger) : IPbxTargetSource, IAsyncDisposable
{
    public const string App = "blf-demo";

    private readonly SemaphoreSlim _startLock = new(1, 1);
    private SimulatorServer? _server;
    private PbxTarget? _target;

    public async ValueTask<PbxTarget> GetTargetAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_target is null)
            {
                // A fresh secret per run: the demo needs no configuration and has nothing to leak.
                var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                _server = await SimulatorServer.StartAsync(
                    new SimulatorOptions { App = App, Secret = secret, Users = 40, EventsPerSecond = 1.5, Objects = true },
                    cancellationToken);
                _target = new PbxTarget(_server.WebSocketUrl, App, secret, domain: null);
                Log.DemoStarted(logger, _server.WebSocketUrl);
            }

            return _target;
        }
        finally
        {
            _startLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _startLock.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "No Pbx:Url configured: running the demo board against the simulated PBX at {Url}")]
        public static partial void DemoStarted(ILogger logger, Uri url);
    }
}
