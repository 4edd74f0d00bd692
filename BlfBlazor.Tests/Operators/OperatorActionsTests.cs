using System.Diagnostics.Metrics;
using System.Security.Claims;
using BlfBlazor.Diagnostics;
using BlfBlazor.Operators;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Operators;

/// <summary>The one door for actions: who may, how often, a double click, the audit line and the metric.</summary>
[Trait("Category", "Unit")]
public sealed class OperatorActionsTests : IDisposable
{
    private readonly DeskHarness _pbx = new();
    private readonly CapturedLogs _logs = new();
    private readonly ServiceProvider _services;
    private readonly MetricCollector<long> _actions;
    private readonly ILoggerFactory _loggers;

    public OperatorActionsTests()
    {
        _services = new ServiceCollection().AddMetrics().AddLogging().AddLocalization().BuildServiceProvider();
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _actions = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), BlfMetrics.MeterName, "blf.actions");
    }

    private static ClaimsPrincipal Olivia => new(new ClaimsIdentity([new Claim("sub", "olivia"), new Claim("name", "Olivia Operator")], "test", "name", "roles"));

    private static ClaimsPrincipal Vera => new(new ClaimsIdentity([new Claim("sub", "vera"), new Claim("name", "Vera Viewer")], "test", "name", "roles"));

    [Fact]
    public async Task A_viewer_who_is_not_an_operator_gets_nothing_done_and_a_warning_is_logged()
    {
        var actions = Actions();
        await _pbx.ConnectAsync();

        var report = await actions.RunAsync(Vera, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None, new ActionOrigin("circuit-7", "192.0.2.7"));

        Assert.Equal(ActionState.Failed, report.State);
        Assert.Equal("Only signed-in operators can act from the board.", report.Message);
        Assert.True(_pbx.NothingSent);
        var refusal = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Category == OperatorAudit.Category);
        Assert.StartsWith("Refused Call 101 for Vera Viewer from 192.0.2.7 (circuit circuit-7): forbidden", refusal.Text, StringComparison.Ordinal);
        Assert.Equal("forbidden", Assert.Single(_actions.GetMeasurementSnapshot()).Tags["result"]);
    }

    [Fact]
    public async Task Refusals_are_counted_every_time_and_logged_once_per_interval_with_how_many_they_stand_for()
    {
        var actions = Actions();
        for (var i = 0; i < 20; i++)
        {
            await actions.RunAsync(Vera, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None);
        }

        Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.Equal(20, _actions.GetMeasurementSnapshot().Count(m => (string?)m.Tags["result"] == "forbidden"));

        _pbx.Time.Advance(OperatorAudit.RefusalLogInterval);
        await actions.RunAsync(Vera, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None);

        var refusals = _logs.Entries.Where(e => e.Category == OperatorAudit.Category).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.Contains("(19 more refused since the last such message)", refusals[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_board_closed_after_the_click_stops_waiting_but_the_action_runs_on_is_audited_and_reaches_the_operators_other_board()
    {
        var actions = Actions();
        using var board = await OliviasBoardOnLiveConnectionAsync();
        using var closedBoard = new CancellationTokenSource();

        var first = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "+49 711 4711"), closedBoard.Token, new ActionOrigin("circuit-1", "192.0.2.7"));
        var call = await _pbx.NextSentAsync("UserCall");
        await closedBoard.CancelAsync();
        var second = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "+49 711 4711"), CancellationToken.None, new ActionOrigin("circuit-2", null));
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","call":501}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":501,"state":1,"msg":"x-setup"}""");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(new ActionReport(ActionState.Done, "Calling +49 711 4711"), await second);
        var audit = Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.StartsWith("Operator action: olivia (phone Olivia Operator, circuit circuit-1 from 192.0.2.7) Call +497114711 call -: done after ", audit.Text, StringComparison.Ordinal);
        Assert.Equal("done", Assert.Single(_actions.GetMeasurementSnapshot()).Tags["result"]);
        Assert.True(_pbx.NothingSent);
    }

    [Theory]
    [InlineData(CallDetails.Full, true)]
    [InlineData(CallDetails.Internal, false)]
    [InlineData(CallDetails.Off, false)]
    public async Task The_PBXs_own_error_text_is_audited_only_where_call_details_may_be_shown(CallDetails details, bool shown)
    {
        var actions = Actions(details);
        using var board = await OliviasBoardOnLiveConnectionAsync();

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None);
        var call = await _pbx.NextSentAsync("UserCall");
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","error":"Anna Berger is busy"}""");
        await report;

        var audit = Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.Contains(": refused after ", audit.Text, StringComparison.Ordinal);
        Assert.Equal(shown, _logs.AllText.Contains("Anna Berger", StringComparison.Ordinal));
        Assert.Equal(!shown, audit.Text.Contains("(pbx text withheld)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_lost_after_sending_says_the_outcome_is_unknown_and_not_to_try_again_blindly()
    {
        var actions = Actions();
        using var board = await OliviasBoardOnLiveConnectionAsync();

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None);
        await _pbx.NextSentAsync("UserCall");
        _pbx.Disconnect();

        Assert.Equal(
            new ActionReport(ActionState.Failed, "The connection to the PBX dropped after the request was sent: it may or may not have happened. Look at the tile before trying again."),
            await report);
        Assert.Equal("connection-lost", Assert.Single(_actions.GetMeasurementSnapshot()).Tags["result"]);
    }

    [Fact]
    public async Task An_operator_may_start_five_actions_a_second_and_the_sixth_waits_for_the_next_second()
    {
        var actions = Actions();
        for (var i = 0; i < OperatorActions.MaxPerSecond; i++)
        {
            // Not connected: each ends at once, saying so, and counts.
            var report = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: $"10{i}"), CancellationToken.None);
            Assert.Equal("Not connected to the PBX right now: try again when the board is live.", report.Message);
        }

        var sixth = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "109"), CancellationToken.None);
        Assert.Equal("Too many actions at once: wait a moment and try again.", sixth.Message);

        _pbx.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "109"), CancellationToken.None);
        Assert.NotEqual(sixth.Message, later.Message);
        Assert.Contains(_actions.GetMeasurementSnapshot(), m => (string?)m.Tags["result"] == "rate-limited");
    }

    [Fact]
    public async Task A_second_click_on_the_same_thing_joins_the_first_and_sends_nothing_more()
    {
        var actions = Actions();
        using var board = await OliviasBoardOnLiveConnectionAsync();

        var first = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "+49 711 4711"), CancellationToken.None);
        var second = actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "+49 711 4711"), CancellationToken.None);
        var call = await _pbx.NextSentAsync("UserCall");
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","call":501}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":501,"state":1,"msg":"x-setup"}""");

        Assert.Same(first, second);
        Assert.Equal(new ActionReport(ActionState.Done, "Calling +49 711 4711"), await first);
        Assert.True(_pbx.NothingSent);
    }

    [Theory]
    [InlineData(CallDetails.Full, "+497114711")]
    [InlineData(CallDetails.Internal, "(a number)")]
    [InlineData(CallDetails.Off, "(a number)")]
    public async Task The_audit_line_names_a_dialled_number_only_where_call_details_may_be_shown(CallDetails details, string shown)
    {
        var actions = Actions(details);

        await actions.RunAsync(Olivia, new OperatorAction(ActionKind.Call, Number: "+49 711 4711"), CancellationToken.None);

        var audit = Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.StartsWith($"Operator action: olivia (phone Olivia Operator, circuit - from -) Call {shown} call -: no-connection after 0 ms ", audit.Text, StringComparison.Ordinal);
        if (details != CallDetails.Full)
        {
            // Neither as typed nor as dialled, anywhere in the log.
            Assert.DoesNotContain("711", _logs.AllText, StringComparison.Ordinal);
        }
    }

    /// <summary>Olivia's board is open and her phone has handle 10 on a live connection.</summary>
    private async Task<IDisposable> OliviasBoardOnLiveConnectionAsync()
    {
        var board = _pbx.Desk.Join("Olivia Operator");
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync("Olivia Operator", 10);
        return board;
    }

    private OperatorActions Actions(CallDetails details = CallDetails.Full) =>
        _pbx.Actions(_services, _loggers, new PrivacyOptions { CallDetails = details });

    public void Dispose()
    {
        _pbx.Dispose();
        _actions.Dispose();
        _services.Dispose();
        _loggers.Dispose();
    }
}
