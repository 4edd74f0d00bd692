using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.Extensions.Options;

namespace BlfBlazor.MissedCalls;

public static class MissedCallHostingExtensions
{
    /// <summary>
    /// Missed calls: validated <c>Blf:MissedCalls</c>, the book the boards read, and the watch that
    /// puts the detector between the PBX loop and the directory. Call after <c>AddPbxConnection</c>
    /// (whose state writer it wraps) and <c>AddBlfStore</c>.
    /// </summary>
    public static WebApplicationBuilder AddMissedCalls(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MissedCallOptions>()
            .Bind(builder.Configuration.GetSection(MissedCallOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MissedCallOptions>, MissedCallOptionsValidator>();
        builder.Services.AddSingleton<MissedCallBook>();
        builder.Services.AddSingleton<IKeptInStore>(services => services.GetRequiredService<MissedCallBook>());
        builder.Services.AddSingleton(services =>
        {
            var directory = services.GetRequiredService<UserDirectory>();
            return new MissedCallDetector(services.GetRequiredService<MissedCallBook>(), directory.ForwardsOnNoAnswer, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<OwnDials>());
        });

        // The last registration wins: the PBX loop writes through the watch, which writes to the directory.
        builder.Services.AddSingleton<IPbxStateWriter, MissedCallWatch>();
        return builder;
    }
}
