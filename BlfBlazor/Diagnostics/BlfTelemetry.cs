using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BlfBlazor.Diagnostics;

/// <summary>
/// Metrics and traces through OpenTelemetry: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the OpenTelemetry convention, read from configuration like every <c>OTEL_*</c> setting), a
/// Prometheus scrape at <c>/metrics</c> with <c>Diagnostics:Prometheus=true</c>. Nothing is
/// collected when neither is asked for.
/// </summary>
public static class BlfTelemetry
{
    private const string PrometheusKey = "Diagnostics:Prometheus";
    private const string PrometheusAnonymousKey = "Diagnostics:PrometheusAnonymous";
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>What an operator of this service asks about, beside our own meter.</summary>
    private static readonly string[] s_meters =
    [
        BlfMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "System.Runtime",
    ];

    public static IHostApplicationBuilder AddBlfTelemetry(this IHostApplicationBuilder builder)
    {
        var prometheus = builder.Configuration.GetValue<bool>(PrometheusKey);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        if (!prometheus && !otlp)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(s_meters);
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing.AddSource(PbxTracing.SourceName, "Microsoft.AspNetCore"))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// The Prometheus scrape at <c>/metrics</c>, when switched on. It follows <c>Blf:RequireSignIn</c>
    /// like the pages (the counts say how busy the board and its operators are), unless
    /// <c>Diagnostics:PrometheusAnonymous=true</c> opens it for a scraper that cannot sign in.
    /// </summary>
    public static WebApplication MapBlfMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(PrometheusKey))
        {
            var scrape = app.MapPrometheusScrapingEndpoint();
            if (app.Configuration.GetValue<bool>(PrometheusAnonymousKey))
            {
                scrape.AllowAnonymous();
            }
        }

        return app;
    }
}
