using BenchmarkDotNet.Filters;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.State;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>Runs <see cref="IngestBenchmarks"/> with BenchmarkDotNet and writes results/ingest.md.</summary>
internal static class IngestRunner
{
    /// <param name="only">BenchmarkDotNet glob patterns (<c>*MissedCalls*</c>): those benchmarks alone, written to results/ingest-partial.md.</param>
    public static int Run(Repository repository, bool inProcess, string[]? only = null)
    {
        var job = Job.Default.WithWarmupCount(3).WithIterationCount(10);
        if (inProcess)
        {
            job = job.WithToolchain(InProcessEmitToolchain.Instance);
        }

        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(repository.Root, "BlfBlazor.Benchmarks", "bin", "BenchmarkDotNet.Artifacts"));
        if (only is { Length: > 0 })
        {
            config = config.AddFilter(new GlobFilter(only));
        }

        var summary = BenchmarkRunner.Run<IngestBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success))
        {
            Console.Error.WriteLine("The ingest benchmark failed; see the output above.");
            return 1;
        }

        var markdown = ToMarkdown(summary, inProcess);
        Console.WriteLine(markdown);
        repository.WriteResult(only is { Length: > 0 } ? "ingest-partial.md" : "ingest.md", markdown);
        return 0;
    }

    private static string ToMarkdown(Summary summary, bool inProcess)
    {
        var record = RecordBytes();
        var machine = MachineInfo.Read();
        var text = new StringBuilder();
        text.Append("### Ingest: UserInfo and CallInfo frames read and applied to the state, one core\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project BlfBlazor.Benchmarks -- ingest{(inProcess ? " --inprocess" : "")}` (BenchmarkDotNet {typeof(Summary).Assembly.GetName().Version}, {summary.HostEnvironmentInfo.RuntimeVersion}) ");
        text.Append(CultureInfo.InvariantCulture, $"on {machine.Cpu}, {machine.Cores} cores. N = {IngestBenchmarks.Users} users; the stored record (`PbxUser`) is {record} bytes.\n\n");
        text.Append("| benchmark | ns per frame | frames per second | bytes allocated per frame | beyond the stored record |\n");
        text.Append("|---|--:|--:|--:|--:|\n");
        foreach (var report in summary.Reports)
        {
            var nanoseconds = report.ResultStatistics!.Mean;
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var beyond = name switch
            {
                nameof(IngestBenchmarks.ReadOnly) => bytes.ToString(CultureInfo.InvariantCulture),
                nameof(IngestBenchmarks.UpdatesWithSnapshot) => "(snapshot)",
                nameof(IngestBenchmarks.CallInfos) or nameof(IngestBenchmarks.CallInfosHalfMissed) or nameof(IngestBenchmarks.CallInfosWithMissedCalls) => "(call leg)",
                _ => (bytes - record).ToString(CultureInfo.InvariantCulture),
            };
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {nanoseconds:0} | {1e9 / nanoseconds:#,0} | {bytes} | {beyond} |\n");
        }

        text.Append("\nUpdates: lamp changes of known users, the steady state (a known user's names are reused, so the new record is the only allocation). ");
        text.Append("UpdatesWithoutStringReuse: the same with every name read as a new string, to show what the reuse buys. ");
        text.Append("CallInfos: CallInfo frames of 1,000 calls on 1,000 monitored users (six a call, then its end) read, decoded and written into the directory, as the PBX session does. ");
        text.Append("ReadOnly: the reader alone. UpdatesWithSnapshot: each update followed by the shared board snapshot the first woken board reads (copy of the order, 8 bytes per user). ");
        text.Append("InitialListOfNewUsers: a whole list of users the directory did not know; their strings are stored with the record. ");
        text.Append("CallInfosHalfMissed: 1,000 calls, half answered and half given up while ringing; CallInfosWithMissedCalls: the same frames through the missed-call watch as the app runs them (500 missed calls recorded and their tiles' counts republished, each answered call noted, every record queued for the store).\n");
        if (Mean(summary, nameof(IngestBenchmarks.CallInfosHalfMissed)) is not null && Mean(summary, nameof(IngestBenchmarks.CallInfosWithMissedCalls)) is not null)
        {
            // The two means above come from runs minutes apart; the ratio is measured in alternating pairs.
            text.Append(MissedCallOverhead.Report());
        }

        return text.ToString();
    }

    private static double? Mean(Summary summary, string benchmark) =>
        summary.Reports.FirstOrDefault(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name == benchmark)?.ResultStatistics?.Mean;

    /// <summary>What one <see cref="PbxUser"/> costs on the heap (its strings not counted).</summary>
    private static long RecordBytes()
    {
        const int Count = 1000;
        var keep = new PbxUser[Count];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            keep[i] = new PbxUser("g", "c", "d", "e", "h", "n", "p", 1, 0, 0);
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / Count;
        GC.KeepAlive(keep);
        return bytes;
    }
}
