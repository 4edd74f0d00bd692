using BlfBlazor.Demo;
using BlfBlazor.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Pbx;

public static class PbxHostingExtensions
{
    /// <summary>
    /// The PBX side: validated <c>Pbx</c> options, the user directory, and the one background
    /// connection (to the configured PBX, or to the in-process demo PBX when none is configured).
    /// </summary>
    public static IHostApplicationBuilder AddPbxConnection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PbxOptions>()
            .Bind(builder.Configuration.GetSection(PbxOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PbxOptions>, PbxOptionsValidator>();

        // Applied where frames become state, so whatever it hides never reaches a board.
        builder.Services.AddOptions<PrivacyOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Decided from the options at run time, not while the builder runs, so every
        // configuration source (including a test host's) has its say.
        builder.Services.AddSingleton<IPbxTargetSource>(services =>
            services.GetRequiredService<IOptions<PbxOptions>>().Value.IsDemo
                ? ActivatorUtilities.CreateInstance<DemoPbx>(services)
                : ActivatorUtilities.CreateInstance<ConfiguredPbx>(services));
        builder.Services.AddSingleton(services => Describe(services.GetRequiredService<IOptions<PbxOptions>>().Value));
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<IPbxStateWriter>(services => services.GetRequiredService<UserDirectory>());
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<PbxOptions>>().Value;
            return new OperatorDesk(options.ActionTimeout, options.OperatorHandleLinger, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<OperatorDesk>>());
        });
        builder.Services.AddHostedService<PbxConnection>();
        return builder;
    }

    private static PbxDescription Describe(PbxOptions options) =>
        options.IsDemo ? new PbxDescription("Demo PBX (simulated)", IsDemo: true, DemoPbx.App)
        : new PbxDescription(PbxAddress.TryParse(options.Url, out var url) ? url.Host : options.Url!, IsDemo: false, options.App ?? string.Empty);
}
