using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

public static class OperatorHostingExtensions
{
    /// <summary>
    /// Operator actions: the one service every board's action goes through (who may, how often,
    /// audited), and the desk behind it, which the PBX connection finds as its call control.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorActions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<PbxOptions>>().Value;
            return new OperatorDesk(options.ActionTimeout, options.OperatorHandleLinger, services.GetRequiredService<UserDirectory>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<OperatorDesk>>())
            {
                AsksForDiversions = OperatorRoster.IsSignInConfigured(services.GetRequiredService<IConfiguration>()),
                OwnDials = services.GetRequiredService<OwnDials>(),
            };
        });
        builder.Services.AddSingleton<IRccCallControl>(services => services.GetRequiredService<OperatorDesk>());
        builder.Services.TryAddSingleton<OperatorAudit>();
        builder.Services.AddSingleton<OperatorActions>();
        builder.Services.AddSingleton<MyCalls>();
        return builder;
    }
}
