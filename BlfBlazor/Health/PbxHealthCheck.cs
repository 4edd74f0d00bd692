using System.Text.Json;
using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlfBlazor.Health;

/// <summary>
/// <c>/healthz</c>: healthy only while the board is live, so a monitor sees a stale board. The store is
/// reported, never decisive: without it lamps, calls and actions go on.
/// </summary>
internal sealed class PbxHealthCheck(UserDirectory directory, PbxDescription pbx, StoreStatus store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = directory.Status;
        var data = new Dictionary<string, object>
        {
            ["connection"] = status.Token,
            ["since"] = status.Since,
            ["pbx"] = status.Pbx,
            ["standby"] = status.OnStandby,
            ["demo"] = status.IsDemo,
            ["encrypted"] = !pbx.Unencrypted,
        };
        if (status.Problem is not null)
        {
            data["problem"] = status.Problem;
        }

        var monitoring = directory.Monitoring;
        data["calls"] = new Dictionary<string, object> { ["feed"] = monitoring.CallFeed, ["monitored"] = monitoring.Monitored };
        data["presence"] = new Dictionary<string, object> { ["state"] = monitoring.Presence, ["subscribed"] = monitoring.Subscribed };
        data["forwarding"] = new Dictionary<string, object> { ["state"] = monitoring.Forwarding, ["users"] = monitoring.ForwardingUsers };
        data["queues"] = new Dictionary<string, object> { ["monitored"] = monitoring.Queues };
        var storeData = new Dictionary<string, object> { ["state"] = store.State, ["pending"] = store.Pending };
        if (store.Listener is { } listener)
        {
            storeData["listener"] = listener;
        }

        data["store"] = storeData;
        if (monitoring.Problem is not null)
        {
            data["monitoring"] = monitoring.Problem;
        }

        var result = status.State == ConnectionState.Live
            ? HealthCheckResult.Healthy("live", data)
            : HealthCheckResult.Unhealthy(status.Problem ?? status.Token, data: data);
        return Task.FromResult(result);
    }

    /// <summary>Writes the connection state as a small JSON object.</summary>
    public static Task WriteResponseAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var data = report.Entries.TryGetValue("pbx", out var entry) ? entry.Data : new Dictionary<string, object>();
        var body = new Dictionary<string, object>(data) { ["status"] = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
