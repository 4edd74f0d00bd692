using BlfBlazor.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Pbx.Connection;

public static class PbxHostingExtensions
{
    /// <summary>
    /// The PBX side: validated <c>Pbx</c> options, the user directory, and the one background
    /// connection to the configured PBX (the demo replaces the target when none is configured).
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
        builder.Services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<PrivacyOptions>>().Value.Shown());
        builder.Services.AddOptions<QueueOptions>()
            .Bind(builder.Configuration.GetSection(QueueOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<QueueOptions>>().Value);

        builder.Services.TryAddSingleton<IPbxTargetSource, ConfiguredPbx>();
        builder.Services.TryAddSingleton(services => ConfiguredPbx.Describe(services.GetRequiredService<IOptions<PbxOptions>>().Value));
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<OwnDials>();
        builder.Services.AddSingleton<IPbxStateWriter>(services => services.GetRequiredService<UserDirectory>());
        builder.Services.AddHostedService<PbxConnection>();
        return builder;
    }
}
