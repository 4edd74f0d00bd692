using BlfBlazor.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace BlfBlazor.Components;

public static class BoardHostingExtensions
{
    /// <summary>The board UI (interactive Server components) and its health endpoint.</summary>
    public static WebApplicationBuilder AddBoard(this WebApplicationBuilder builder)
    {
        // Serve blazor.web.js and the scoped CSS from the build output in every environment, so
        // `dotnet run` works in Production too; published output has no manifest and is unaffected.
        builder.WebHost.UseStaticWebAssets();

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
