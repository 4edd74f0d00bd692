using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;

namespace BlfBlazor.Benchmarks.Monitoring;

/// <summary>
/// How long the app takes from start to all N users' calls monitored and presence subscribed
/// (paced, at most 50 requests in flight each), against the standalone simulator: the app's own
/// <c>/healthz</c> is polled every 10 ms. Writes results/monitoring.md.
/// </summary>
internal static class MonitoringRun
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(10);

    public static async Task<int> RunAsync(Repository repository, int users, CancellationToken ct)
    {
        using var simulator = await SimulatorProcess.StartAsync(repository, users, "monitoring-bench-secret", ct);
        var started = Stopwatch.GetTimestamp();
        using var app = await AppProcess.StartAsync(repository, simulator, ct);
        var live = Stopwatch.GetElapsedTime(started);
        double? monitoredMs = null, subscribedMs = null;
        using var http = new HttpClient { BaseAddress = app.BaseUrl };
        var deadline = Stopwatch.GetTimestamp();
        while ((monitoredMs is null || subscribedMs is null) && Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromMinutes(2))
        {
            using var response = await http.GetAsync("healthz", ct);
            var health = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (monitoredMs is null && health.TryGetProperty("calls", out var calls) && calls.GetProperty("monitored").GetInt32() >= users)
            {
                monitoredMs = elapsed;
            }

            if (subscribedMs is null && health.TryGetProperty("presence", out var presence) && presence.GetProperty("subscribed").GetInt32() >= users)
            {
                subscribedMs = elapsed;
            }

            await Task.Delay(s_poll, ct);
        }

        var machine = MachineInfo.Read();
        var text = new StringBuilder()
            .Append("### Monitoring: from start to every user's calls monitored and presence subscribed\n\n")
            .Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project BlfBlazor.Benchmarks -- monitoring` on {machine.Cpu}, {machine.Cores} cores; N = {users} users, the standalone simulator; the app's /healthz polled every {s_poll.TotalMilliseconds:0} ms.\n\n")
            .Append("| step | ms after the app process started |\n|---|--:|\n")
            .Append(CultureInfo.InvariantCulture, $"| live (/healthz 200: logged in, user list complete) | {live.TotalMilliseconds:0} |\n")
            .Append(CultureInfo.InvariantCulture, $"| every user's calls monitored (UserInitialize answered, 50 in flight) | {Show(monitoredMs)} |\n")
            .Append(CultureInfo.InvariantCulture, $"| every user's presence subscribed (SubscribePresence answered, 50 in flight) | {Show(subscribedMs)} |\n");
        var markdown = text.ToString();
        Console.WriteLine(markdown);
        repository.WriteResult("monitoring.md", markdown);
        return monitoredMs is null || subscribedMs is null ? 1 : 0;
    }

    private static string Show(double? ms) => ms is { } value ? value.ToString("0", CultureInfo.InvariantCulture) : "not reached in 2 min";
}
