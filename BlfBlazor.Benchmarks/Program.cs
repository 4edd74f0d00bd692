using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Ingest;
using BlfBlazor.Benchmarks.Suite;

namespace BlfBlazor.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project BlfBlazor.Benchmarks</c>: the scenario suite (app against the
/// direct page), printed as Markdown and written to results/latest.md;
/// <c>-- --quick</c>: a smaller smoke run (results/quick.md);
/// <c>-- ingest [--inprocess]</c>: the BenchmarkDotNet micro-benchmark of ingest (results/ingest.md).
/// </summary>
internal static class Program
{
    private static readonly TimeSpan s_runLimit = TimeSpan.FromMinutes(30);

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var repository = Repository.Locate();

        if (args.Contains("ingest"))
        {
            return IngestRunner.Run(repository, inProcess: args.Contains("--inprocess"));
        }

        var settings = args.Contains("--quick") ? SuiteSettings.Smoke : SuiteSettings.Full;
        using var cancel = new CancellationTokenSource(s_runLimit);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var results = await new ScenarioSuite(settings, repository).RunAsync(cancel.Token);
        var markdown = Report.ToMarkdown(results);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Directory.CreateDirectory(repository.ResultsDirectory);
        var file = Path.Combine(repository.ResultsDirectory, settings.Quick ? "quick.md" : "latest.md");
        await File.WriteAllTextAsync(file, markdown);
        Console.Error.WriteLine($"Written to {file}");
        return 0;
    }
}
