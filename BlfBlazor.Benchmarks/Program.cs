using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Ingest;
using BlfBlazor.Benchmarks.Suite;

namespace BlfBlazor.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project BlfBlazor.Benchmarks</c>: the scenario suite (app against the
/// direct page), printed as Markdown and written to results/latest.md;
/// <c>-- --quick</c>: a smaller smoke run (results/quick.md); <c>--users N</c>, <c>--viewers 1,10</c>,
/// <c>--no-large</c> and <c>--reduced-motion</c> change a run while profiling (results/partial.md);
/// <c>-- ingest [--inprocess] [--only *MissedCalls*,*HalfMissed*]</c>: the BenchmarkDotNet micro-benchmark of ingest (results/ingest.md; with --only those alone, results/ingest-partial.md);
/// <c>-- ingest --missed-calls</c>: only the missed-call recording's cost, measured in alternating pairs (seconds; to try a change);
/// <c>-- monitoring</c>: start to every user's calls monitored and presence subscribed (results/monitoring.md);
/// <c>-- calls</c>: a call's peer on the tile next to a lamp change, latency (results/calls.md);
/// <c>-- circuits [--quick] [--boards 1,100]</c>: boards per instance with headless circuits (results/circuits.md, .json);
/// <c>-- queues [--boards 100] [--rounds 2]</c>: 20 waiting queues changing beside the lamps, CPU and latency (results/queues.md, .json);
/// <c>-- soak [--minutes 30]</c>: 100 headless boards for a long time, memory every minute (results/soak.md, .json).
/// </summary>
internal static class Program
{
    private static readonly TimeSpan s_runLimit = TimeSpan.FromMinutes(30);

    /// <summary>The patterns after <c>--only</c>, comma-separated; null without it.</summary>
    private static string[]? RunReportOnly(string[] args) => Circuits.RunReport.Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var repository = Repository.Locate();

        if (args.Contains("ingest") && args.Contains("--missed-calls"))
        {
            Console.Write(Ingest.MissedCallOverhead.Report());
            return 0;
        }

        if (args.Contains("ingest"))
        {
            return IngestRunner.Run(repository, inProcess: args.Contains("--inprocess"), only: RunReportOnly(args));
        }

        if (args.Contains("calls"))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            return await Monitoring.CallsRun.RunAsync(repository, users: 1000, updates: 1000, calls: 300, rate: 20, limit.Token);
        }

        if (args.Contains("circuits"))
        {
            using var limit = new CancellationTokenSource(s_runLimit);
            return await Circuits.CircuitsRun.RunAsync(repository, args, limit.Token);
        }

        if (args.Contains("queues"))
        {
            using var limit = new CancellationTokenSource(s_runLimit);
            return await Circuits.QueuesRun.RunAsync(repository, args, limit.Token);
        }

        if (args.Contains("soak"))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromHours(2));
            return await Circuits.SoakRun.RunAsync(repository, args, limit.Token);
        }

        if (args.Contains("monitoring"))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            return await Monitoring.MonitoringRun.RunAsync(repository, users: 1000, limit.Token);
        }

        var settings = SuiteSettings.FromArguments(args);
        using var cancel = new CancellationTokenSource(s_runLimit);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        SuiteResults results;
        try
        {
            results = await new ScenarioSuite(settings, repository).RunAsync(cancel.Token);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Stopped: cancelled, or the run took longer than {s_runLimit.TotalMinutes:0} minutes.");
            return 130;
        }

        var markdown = Report.ToMarkdown(results);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"Written to {repository.WriteResult(settings.ResultFile, markdown)}");
        return 0;
    }
}
