using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>Puts a simulated PBX together from the settings: the scenario's staff in the model, with the variants and the seed.</summary>
internal static class SimulatedPbxFactory
{
    /// <summary>A PBX with <see cref="SimulatorOptions.Users"/> generated users (the same ones for the same seed), and the objects when they are on.</summary>
    public static SimulatedPbx Create(SimulatorOptions options, TimeProvider timeProvider, ILogger<SimulatedPbx> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SimulatedPbx(UserGenerator.Create(options.Users, options.Seed, options.HasObjects, options.Queues), options.Variants, options.Seed, timeProvider, logger)
        {
            NoAnswerTime = options.NoAnswerTime,
        };
    }

    /// <summary>The PBX of a host's settings, on <paramref name="clock"/> when given, else on the host's TimeProvider.</summary>
    public static SimulatedPbx Create(IServiceProvider services, TimeProvider? clock = null) => Create(
        services.GetRequiredService<IOptions<SimulatorOptions>>().Value,
        clock ?? services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<SimulatedPbx>>());
}
