namespace BlfBlazor.Diagnostics;

public static class DiagnosticsHostingExtensions
{
    private const string ExposeCountersKey = "Diagnostics:ExposeCounters";

    /// <summary>Metrics on the "BlfBlazor" meter (read them with dotnet-counters or OpenTelemetry).</summary>
    public static IHostApplicationBuilder AddBlfDiagnostics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BlfMetrics>();
        builder.Services.AddSingleton<CounterSnapshot>();
        return builder;
    }

    /// <summary>
    /// With <c>Diagnostics:ExposeCounters=true</c>, <c>GET /diagnostics/counters</c> answers the
    /// meter's values as JSON (used by the benchmark; off by default).
    /// </summary>
    public static WebApplication MapBlfDiagnostics(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(ExposeCountersKey))
        {
            // Created now, before the app starts, so it sees every measurement from the first frame on.
            var counters = app.Services.GetRequiredService<CounterSnapshot>();
            app.MapGet("/diagnostics/counters", () => counters.Read());
        }

        return app;
    }
}
