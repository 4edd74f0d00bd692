using BlfBlazor.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace BlfBlazor.Components;

public static class BoardHostingExtensions
{
    /// <summary>The board UI (interactive Server components) and its health endpoint.</summary>
    public static IHostApplicationBuilder AddBoard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddHealthChecks().AddCheck<PbxHealthCheck>("pbx");
        return builder;
    }

    public static WebApplication MapBoard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = PbxHealthCheck.WriteResponseAsync });
        return app;
    }
}
