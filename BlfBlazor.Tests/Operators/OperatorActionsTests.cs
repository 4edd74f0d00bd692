using System.Diagnostics.Metrics;
using System.Security.Claims;
using BlfBlazor.Diagnostics;
using BlfBlazor.Operators;
using BlfBlazor.Resources;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

    private static ClaimsPrincipal Olivia => new(new ClaimsIdentity([new Claim("preferred_username", "olivia"), new Claim("name", "Olivia Operator")], "test", "name", "roles"));

    private static ClaimsPrincipal Vera => new(new ClaimsIdentity([new Claim("preferred_username", "vera"), new Claim("name", "Vera Viewer")], "test", "name", "roles"));

    [Fact]
    public async Task A_viewer_who_is_not_an_operator_gets_nothing_done_and_a_warning_is_logged()
    {
        var actions = Actions();
        await _pbx.ConnectAsync();

        var report = await actions.RunAsync(Vera, new OperatorAction(ActionKind.Call, Number: "101"), CancellationToken.None);

        Assert.Equal(ActionState.Failed, report.State);
        Assert.Equal("Only signed-in operators can act from the board.", report.Message);
        Assert.True(_pbx.NothingSent);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("Vera Viewer asked for Call", StringComparison.Ordinal));
        Assert.Equal("forbidden", Assert.Single(_actions.GetMeasurementSnapshot()).Tags["result"]);
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
        using var board = _pbx.Desk.Join("Olivia Operator");
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync("Olivia Operator", 10);

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

        var audit = Assert.Single(_logs.Entries, e => e.Text.StartsWith("Operator action:", StringComparison.Ordinal));
        Assert.StartsWith($"Operator action: olivia (phone Olivia Operator) Call {shown}: no-connection after 0 ms ", audit.Text, StringComparison.Ordinal);
        if (details != CallDetails.Full)
        {
            // Neither as typed nor as dialled, anywhere in the log.
            Assert.DoesNotContain("711", _logs.AllText, StringComparison.Ordinal);
        }
    }

    private OperatorActions Actions(CallDetails details = CallDetails.Full)
    {
        var directory = new UserDirectory(_pbx.Time, new PbxDescription("pbx.test", IsDemo: false));
        var roster = new OperatorRoster(
            Options.Create(new OperatorOptions { Operators = [new OperatorEntry { User = "olivia", Phone = "Olivia Operator" }] }),
            directory, NullLogger<OperatorRoster>.Instance, signInEnabled: true);
        return new OperatorActions(
            roster, _pbx.Desk, directory, new BlfMetrics(_services.GetRequiredService<IMeterFactory>(), directory, _pbx.Time),
            Options.Create(new PrivacyOptions { CallDetails = details }), _services.GetRequiredService<IStringLocalizer<ActionText>>(),
            _pbx.Time, _loggers.CreateLogger<OperatorActions>());
    }

    public void Dispose()
    {
        _pbx.Dispose();
        _actions.Dispose();
        _services.Dispose();
        _loggers.Dispose();
    }
}
