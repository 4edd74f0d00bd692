using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace BlfBlazor.Benchmarks.Infrastructure;

/// <summary>
/// The live managed heap of another .NET process, without an endpoint in it: an EventPipe session with
/// the runtime's GCHeapCollect keyword makes it run a full blocking GC (as dotnet-gcdump does), and the
/// GCHeapStats event that follows gives the generation sizes after it.
/// </summary>
internal static class ManagedHeap
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    /// <summary>Bytes on the managed heap after a full GC, or null if the process did not answer in time.</summary>
    public static async Task<long?> AfterFullGcAsync(int processId)
    {
        var client = new DiagnosticsClient(processId);
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
            (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect));
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, token: CancellationToken.None);
        using var source = new EventPipeEventSource(session.EventStream);
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Clr.GCHeapStats += stats => heap.TrySetResult(
            stats.GenerationSize0 + stats.GenerationSize1 + stats.GenerationSize2 + stats.GenerationSize3 + stats.GenerationSize4);
        var processing = Task.Run(source.Process);
        try
        {
            return await heap.Task.WaitAsync(s_timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(s_timeout);
        }
    }
}
