using BlfBlazor.PbxSimulator.Benchmark;
using BlfBlazor.PbxSimulator.Core.Hosting;

namespace BlfBlazor.PbxSimulator;

/// <summary>
/// Standalone simulated PBX; settings come from the command line (--Simulator:App=rcc ...),
/// defaults from SimulatorOptions. --Simulator:Benchmark=true adds the /bench control endpoints.
/// </summary>
/// <remarks>
/// An explicit internal class rather than top-level statements: .NET 10 makes a top-level
/// <c>Program</c> public, which would clash with the app's <c>Program</c> wherever both are referenced.
/// </remarks>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddPbxSimulator();

        var app = builder.Build();
        app.MapPbxSimulator();
        if (app.Configuration.GetValue<bool>(BenchmarkEndpoints.SwitchKey))
        {
            BenchmarkEndpoints.Map(app);
        }

        await app.RunAsync();
    }
}
