using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Demo;

public static class DemoHostingExtensions
{
    /// <summary>
    /// With no <c>Pbx:Url</c>, the board connects to a simulated PBX in this process. Decided from the
    /// options at run time, not while the builder runs, so every configuration source (a test host's
    /// too) has its say. Call after <see cref="PbxHostingExtensions.AddPbxConnection"/>.
    /// </summary>
    public static IHostApplicationBuilder AddDemoPbx(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPbxTargetSource>(services =>
            services.GetRequiredService<IOptions<PbxOptions>>().Value.IsDemo
                ? ActivatorUtilities.CreateInstance<DemoPbx>(services)
                : ActivatorUtilities.CreateInstance<ConfiguredPbx>(services));
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<PbxOptions>>().Value is { IsDemo: true }
            ? new PbxDescription("Demo PBX (simulated)", IsDemo: true, DemoPbx.App, Unencrypted: true)
            : ConfiguredPbx.Describe(services.GetRequiredService<IOptions<PbxOptions>>().Value));
        return builder;
    }
}
