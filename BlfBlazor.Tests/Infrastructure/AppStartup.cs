using System.Diagnostics;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Starts the real app as its own process, as an admin would, for checks of what start-up prints
/// and how it exits. (A failing start inside WebApplicationFactory races with its own disposal.)
/// </summary>
public static class AppStartup
{
    public sealed record Outcome(int ExitCode, string Output);

    /// <summary>Runs the app with these settings as environment variables until it exits by itself.</summary>
    public static async Task<Outcome> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BlfBlazor.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        // Without a Pbx:Url, Production refuses to start; a test about another key says the demo is meant.
        start.Environment["Blf__Demo"] = "true";

        // The store's default file goes to the state folder: a temporary one, not the build output.
        var state = Directory.CreateTempSubdirectory("blf-startup-");
        start.Environment["STATE_DIRECTORY"] = state.FullName;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.StartUp);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app did not exit by itself: it started although its configuration is wrong.");
        }

        var outcome = new Outcome(process.ExitCode, await output + await errors);
        state.Delete(recursive: true);
        return outcome;
    }
}
