using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace BlfBlazor.Health;

/// <summary>
/// Probes for load balancers and orchestrators, anonymous whatever sign-in the board requires:
/// <c>/health/live</c> says the process serves requests (restart it when not), <c>/health/ready</c>
/// that its board is live with a complete user list (send no viewers to it when not).
/// </summary>
public static class HealthEndpoints
{
    public static WebApplication MapBlfHealth(this WebApplication app)
    {
        // No checks: answering at all is the proof. A PBX outage must not get the process restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = PbxHealthCheck.WriteResponseAsync }).AllowAnonymous();
        return app;
    }
}
