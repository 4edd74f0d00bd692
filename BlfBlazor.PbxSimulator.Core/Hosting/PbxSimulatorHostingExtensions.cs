using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

public static class PbxSimulatorHostingExtensions
{
    /// <summary>
    /// Registers the simulated PBX: validated <see cref="SimulatorOptions"/> (section "Simulator",
    /// then <paramref name="configure"/>), the <see cref="SimulatedPbx"/> singleton, the call
    /// scenario and <see cref="TimeProvider.System"/> unless a TimeProvider is registered already.
    /// </summary>
    public static IHostApplicationBuilder AddPbxSimulator(this IHostApplicationBuilder builder, Action<SimulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = builder.Services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>>(new SimulatorOptionsValidation()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => SimulatedPbxFactory.Create(services));

        // Each room gets its part of the settings, so none of them reads the host's options.
        builder.Services.TryAddSingleton(services => services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ForSessions());
        builder.Services.TryAddSingleton(services => services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ForScenario());
        builder.Services.AddHostedService<CallScenario>();
        return builder;
    }

    /// <summary>
    /// Serves the PBX's AppWebsocket at /PBX0/APPS/websocket and a line of text at /.
    /// </summary>
    public static WebApplication MapPbxSimulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseWebSockets();
        app.MapGet("/", (HttpContext context) =>
            $"BlfBlazor.PbxSimulator: a simulated innovaphone PBX (AppWebsocket + RCC) at {(context.Request.IsHttps ? "wss" : "ws")}://{context.Request.Host}{PbxWebSocketEndpoint.Path}\n");
        app.Map(PbxWebSocketEndpoint.Path, new RequestDelegate(PbxWebSocketEndpoint.HandleAsync));
        return app;
    }
}
