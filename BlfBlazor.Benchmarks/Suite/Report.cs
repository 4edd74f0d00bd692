using System.Globalization;
using System.Text;
using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>The results as Markdown: one table app | direct | ratio with the targets, then the render counts.</summary>
internal static class Report
{
    private const double MiB = 1024 * 1024;

    public static string ToMarkdown(SuiteResults r)
    {
        var s = r.Settings;
        var text = new StringBuilder();
        Line(text, "### Benchmark: the app against the direct page");
        Line(text, "");
        Line(text, $"Run {r.Started:yyyy-MM-dd HH:mm} UTC, {r.Duration.TotalMinutes:0.0} min: `{s.Command}`");
        Line(text, "");
        Line(text, $"Machine: {r.Machine.Cpu}, {r.Machine.Cores} cores, {r.Machine.Memory}; {r.Machine.Os} ({r.Machine.Kernel}); {r.Machine.DotNet}; Chromium {r.Chromium}. "
            + "Simulator, app, Chromium and the benchmark share the machine; everything on loopback.");
        Line(text, "");
        Line(text, $"N = {s.Users} users and {s.Rate:0} updates/s ({s.MeasuredUpdates} measured per window after {s.WarmupUpdates} warm-up) unless stated. "
            + "Latency: the simulator's send time of an update to the MutationObserver seeing that tile's data-state change, over all updates and all V viewers. "
            + $"Complete board: navigation start to all N tiles present and live, median of {s.BoardRepetitions} loads. "
            + (s.ReducedMotion
                ? "The viewers' Chromium emulates prefers-reduced-motion: reduce (--reduced-motion), which the app honours by not pulsing ringing tiles."
                : "Animations on, as a viewer sees them (ringing tiles pulse); the idle rows show what that costs the browser."));
        Line(text, "");
        Line(text, "| measure | app | direct | app/direct | target | met |");
        Line(text, "|---|--:|--:|--:|---|:-:|");

        foreach (var (app, direct) in r.AppRuns.Zip(r.DirectRuns))
        {
            var v = app.Viewers;
            Row(text, $"latency p50, V = {v} (ms)", app.Latency.P50, direct.Latency.P50, "≤ 1.5×", Ratio(app.Latency.P50, direct.Latency.P50) <= 1.5);
            Row(text, $"latency p95, V = {v} (ms)", app.Latency.P95, direct.Latency.P95, "", null);
            Row(text, $"latency p99, V = {v} (ms)", app.Latency.P99, direct.Latency.P99, "≤ 1.5×", Ratio(app.Latency.P99, direct.Latency.P99) <= 1.5);
        }

        foreach (var times in r.BoardTimes)
        {
            Row(text, $"complete board, N = {times.Users} (ms)", times.AppMedian, times.DirectMedian, "≤ 0.2×", Ratio(times.AppMedian, times.DirectMedian) <= 0.2, "0");
            Cells(text, $"… app board interactive too, N = {times.Users} (ms)", F(times.AppInteractiveMedian, "0"), "–", "", "", "");
        }

        foreach (var (app, direct) in r.AppRuns.Zip(r.DirectRuns))
        {
            Cells(text, $"PBX connections / logins for V = {app.Viewers}",
                $"{app.PbxConnections} / {app.PbxLogins}",
                $"{direct.PbxConnections} / {direct.PbxLogins}",
                "", "app: 1 / 1 for any V", Mark(app.PbxConnections == 1 && app.PbxLogins == 1));
        }

        var cpuRows = new List<(int Viewers, ResourceUse Use)> { (0, r.IdleApp) };
        cpuRows.AddRange(r.AppRuns.Where(run => run.App is not null).Select(run => (run.Viewers, run.App!)));
        foreach (var (v, use) in cpuRows)
        {
            Cells(text, $"app CPU s per 1,000 updates, V = {v}", F(use.CpuSecondsPer1000Updates, "0.000"), "–", "", "", "");
        }

        foreach (var (v, use) in cpuRows)
        {
            Cells(text, $"app working set, V = {v} boards open, before any update (MB)", F(use.BeforeUpdates!.WorkingSetBytes / MiB, "0.0"), "–", "", "", "");
        }

        foreach (var (v, use) in cpuRows)
        {
            Cells(text, $"… its managed heap after a full GC, V = {v} (MB)", F((use.BeforeUpdates!.LiveHeapBytes ?? double.NaN) / MiB, "0.0"), "–", "", "", "");
        }

        foreach (var (v, use) in cpuRows)
        {
            Cells(text, $"… after the window of updates, V = {v} (MB)", F(use.WorkingSetBytes / MiB, "0.0"), "–", "", "", "");
        }

        var one = r.AppRuns.FirstOrDefault(run => run.Viewers == 1 && run.App is not null);
        var most = r.AppRuns.Where(run => run.App is not null).MaxBy(run => run.Viewers);
        if (one is not null && most is not null && most.Viewers > 1)
        {
            var divisor = MiB * (most.Viewers - 1);
            var perViewer = (most.App!.BeforeUpdates!.WorkingSetBytes - one.App!.BeforeUpdates!.WorkingSetBytes) / divisor;
            var perViewerHeap = ((most.App.BeforeUpdates.LiveHeapBytes ?? double.NaN) - (one.App.BeforeUpdates.LiveHeapBytes ?? double.NaN)) / divisor;
            var perViewerAfter = (most.App.WorkingSetBytes - one.App.WorkingSetBytes) / divisor;
            Cells(text, $"app working set per additional viewer, (WS({most.Viewers}) − WS(1)) / {most.Viewers - 1}, before any update (MB)", F(perViewer, "0.00"), "–", "", "≤ 1 MB", Mark(perViewer <= 1));
            var perViewerAfterGc = (most.App.BeforeUpdates.WorkingSetAfterGcBytes - one.App.BeforeUpdates.WorkingSetAfterGcBytes) / divisor;
            Cells(text, "… managed heap after a full GC, per additional viewer (MB)", F(perViewerHeap, "0.00"), "–", "", "", "");
            Cells(text, "… working set after that GC, per additional viewer (MB)", F(perViewerAfterGc, "0.00"), "–", "", "", "");
            Cells(text, "… working set after the window of updates, per additional viewer (MB)", F(perViewerAfter, "0.00"), "–", "", "", "");
        }

        Cells(text, "browser main thread busy, one idle board, animations on (%)", F(r.IdleBrowser.AppAnimated * 100, "0"), F(r.IdleBrowser.DirectAnimated * 100, "0"), "", "", "");
        Cells(text, "… with prefers-reduced-motion (%)", F(r.IdleBrowser.AppReducedMotion * 100, "0"), "–", "", "", "");
        foreach (var (app, direct) in r.AppRuns.Zip(r.DirectRuns))
        {
            Cells(text, $"browser main thread busy during the window, first board, V = {app.Viewers} (%)", F(app.BrowserBusy * 100, "0"), F(direct.BrowserBusy * 100, "0"), "", "", "");
        }

        foreach (var (app, direct) in r.AppRuns.Zip(r.DirectRuns))
        {
            Row(text, $"browser main-thread ms per change, first board, V = {app.Viewers}", app.BrowserMsPerChange, direct.BrowserMsPerChange,
                "≤ 1.0×", Ratio(app.BrowserMsPerChange, direct.BrowserMsPerChange) <= 1.0, "0.00");
        }

        foreach (var (app, direct) in r.AppRuns.Zip(r.DirectRuns))
        {
            Row(text, $"PBX (simulator) CPU s per 1,000 updates, V = {app.Viewers}", app.Simulator.CpuSecondsPer1000Updates, direct.Simulator.CpuSecondsPer1000Updates, "", null, "0.000");
        }

        PageLoads(text, r.BoardTimes);

        Line(text, "");
        Line(text, "Renders (the app's `blf.board.renders` / `blf.tile.renders`, summed over open boards), per board:");
        Line(text, "");
        Line(text, "| window | boards | updates | board renders | tile renders | per update: board / tile |");
        Line(text, "|---|--:|--:|--:|--:|--:|");
        foreach (var run in r.AppRuns.Where(run => run.Renders is not null))
        {
            var renders = run.Renders!;
            var boards = (double)run.Viewers;
            var updates = (double)run.Latency.Updates;
            Cells(text, $"{s.Rate:0} updates/s, N = {s.Users}", I(run.Viewers), I(run.Latency.Updates),
                F(renders.BoardRenders / boards, "0"), F(renders.TileRenders / boards, "0"),
                $"{F(renders.BoardRenders / boards / updates, "0.00")} / {F(renders.TileRenders / boards / updates, "0.00")}");
        }

        foreach (var burst in r.Bursts)
        {
            var boards = (double)burst.Viewers;
            var name = burst.Name == "storm"
                ? $"storm: {burst.Updates} updates at {s.StormRate:0}/s ({burst.DistinctUsers} users), N = {burst.Users}"
                : $"resync: the whole list again ({burst.Updates} frames), N = {burst.Users}";
            Cells(text, name, I(burst.Viewers), I(burst.Updates),
                F(burst.Renders.BoardRenders / boards, "0"), F(burst.Renders.TileRenders / boards, "0"),
                $"{F(burst.Renders.BoardRenders / boards / burst.Updates, "0.000")} / {F(burst.Renders.TileRenders / boards / burst.Updates, "0.000")}");
        }

        Line(text, "");
        foreach (var burst in r.Bursts)
        {
            Line(text, burst.Name == "storm"
                ? $"- Storm: every board showed the PBX's final state {burst.SettledAfterMs:0} ms after the first update (checked every 250 ms); tiles still differing after a minute: {burst.Mismatches} (over {burst.Viewers} boards)."
                : $"- Resync: every board live again with all {burst.Users} tiles, none stale, {burst.SettledAfterMs:0} ms after the drop (checked every 250 ms); boards still not there after 90 s: {burst.Mismatches}.");
        }

        Line(text, $"- Updates never seen on a board (app, direct): {string.Join("; ", r.AppRuns.Zip(r.DirectRuns).Select(p => $"V = {p.First.Viewers}: {p.First.Latency.Unmatched}, {p.Second.Latency.Unmatched} of {p.First.Latency.Updates * p.First.Viewers}"))}.");
        foreach (var (side, run) in r.AppRuns.Select(run => ("app", run)).Concat(r.DirectRuns.Select(run => ("direct", run))).Where(p => p.run.Problem is not null))
        {
            Line(text, $"- V = {run.Viewers}, {side}: no figures, {run.Problem}");
        }

        var smallest = r.AppRuns.Concat(r.DirectRuns).Where(run => run.Problem is null).Select(run => run.Latency.Min).DefaultIfEmpty(double.NaN).Min();
        Line(text, $"- Clocks: the smallest latency measured is {smallest:0.00} ms; the simulator stamps Unix time from a Stopwatch anchored to the system clock, the pages performance.timeOrigin + performance.now(), so a clearly negative value would mean they disagree.");
        return text.ToString();
    }

    /// <summary>Where one page load's browser time and bytes went, app and direct side by side (medians of the measured loads).</summary>
    private static void PageLoads(StringBuilder text, IReadOnlyList<BoardTimes> loads)
    {
        foreach (var times in loads)
        {
            double App(Func<PageAnatomy, double> pick) => Percentiles.Median(times.AppAnatomy.Select(pick));
            double Direct(Func<PageAnatomy, double> pick) => Percentiles.Median(times.DirectAnatomy.Select(pick));
            void Measure(string name, Func<PageAnatomy, double> pick, string format) =>
                Cells(text, name, F(App(pick), format), F(Direct(pick), format), F(Ratio(App(pick), Direct(pick)), "0.00"));

            Line(text, "");
            Line(text, $"One page load, N = {times.Users} (median of {times.App.Count}): the browser's main thread from navigation until the board is complete "
                + "(the app's also interactive), Chromium's Performance metrics; bytes from Resource Timing; markup and elements per tile from the DOM.");
            Line(text, "");
            Line(text, "| measure | app | direct | app/direct |");
            Line(text, "|---|--:|--:|--:|");
            Measure("main thread busy (ms)", a => a.TaskSeconds * 1000, "0");
            Measure("… in script (ms)", a => a.ScriptSeconds * 1000, "0");
            Measure("… in style recalculation (ms)", a => a.StyleSeconds * 1000, "0");
            Measure("… in layout (ms)", a => a.LayoutSeconds * 1000, "0");
            Measure("document's first byte (ms after navigation start)", a => a.FirstByteMs, "0");
            Measure("document's last byte (ms)", a => a.LastByteMs, "0");
            Measure("document on the wire (KB)", a => a.DocumentWireBytes / 1024, "0.0");
            Measure("document decoded (KB)", a => a.DocumentBytes / 1024, "0.0");
            Measure("document bytes on the wire per tile", a => a.DocumentWireBytes / Math.Max(1, a.Tiles), "0");
            Measure("markup characters per tile (DOM)", a => a.TileMarkupChars / Math.Max(1, a.Tiles), "0");
            Measure("elements per tile (DOM)", a => a.TileElements / Math.Max(1, a.Tiles), "0.0");
            Measure("blazor.web.js on the wire (KB)", a => a.BlazorScriptWireBytes / 1024, "0.0");
        }
    }

    private static double Ratio(double app, double direct) => direct > 0 ? app / direct : double.NaN;

    private static void Row(StringBuilder text, string name, double app, double direct, string target, bool? met, string format = "0.0") =>
        Cells(text, name, F(app, format), F(direct, format), F(Ratio(app, direct), "0.00"), target, met is { } m ? Mark(m) : "");

    private static void Cells(StringBuilder text, params string[] cells) => Line(text, $"| {string.Join(" | ", cells)} |");

    private static string Mark(bool met) => met ? "yes" : "**no**";

    private static string F(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
