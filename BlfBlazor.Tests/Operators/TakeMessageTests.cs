using System.Diagnostics.Metrics;
using System.Security.Claims;
using BlfBlazor.Callbacks;
using BlfBlazor.Diagnostics;
using BlfBlazor.Operators;
using BlfBlazor.Resources;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Tests.Operators;

/// <summary>
/// Taking a message and closing a callback, through the one door of operator actions and through My calls:
/// rights and lengths checked on the server per request, every step audited without the caller or the note.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TakeMessageTests : IDisposable
{
    private const string Anna = "g-anna";
    private readonly DeskHarness _pbx = new();
    private readonly CapturedLogs _logs = new();
    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly OperatorActions _actions;

    public TakeMessageTests()
    {
        _services = new ServiceCollection().AddMetrics().AddLogging().AddLocalization().BuildServiceProvider();
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _actions = _pbx.Actions(_services, _loggers);
        IPbxStateWriter state = _pbx.Directory;
        state.BeginResync();
        state.Apply(UserChange.Upsert(new PbxUserInfo(Anna, "anna", "Anna Berger", "101", "anna", "root", "master", 1, 0, 0), isLive: false));
        state.Apply(UserChange.Upsert(new PbxUserInfo("g-carol", "carol", "Carol Clark", "103", "carol", "root", "master", 1, 0, 0), isLive: false));
        state.CompleteResync();
    }

    private static ClaimsPrincipal Olivia => Person("olivia", "Olivia Operator");

    private CallbackBook Book => _pbx.Callbacks!;

    private IEnumerable<string> Audit => _logs.Entries.Where(e => e.Category == OperatorAudit.Category).Select(e => e.Text);

    [Fact]
    public async Task An_operator_takes_a_message_for_a_colleague_and_the_audit_names_the_colleague_never_the_caller_or_the_note()
    {
        var report = await RunAsync(Olivia, new OperatorAction(ActionKind.TakeMessage, Anna, Number: " 0711 4711 ", Note: "About the invoice", CallerName: "Mr Keller", Urgent: true));

        Assert.Equal(new ActionReport(ActionState.Done, "Message for Anna Berger taken"), report);
        var taken = Assert.Single(_pbx.Directory.Current.Users.Single(u => u.Guid == Anna).Callbacks.Open);
        Assert.Equal(("Mr Keller", "0711 4711", "About the invoice", CallbackUrgency.Urgent, "olivia"), (taken.Caller?.Name, taken.Caller?.Number, taken.Note, taken.Urgency, taken.TakenBy));
        var line = Assert.Single(Audit);
        Assert.Contains($"TakeMessage anna callback {taken.Id} call -: done", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Keller", line, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", line, StringComparison.Ordinal);
        Assert.DoesNotContain("invoice", line, StringComparison.Ordinal);

        Assert.Equal(new ActionReport(ActionState.Done, "Callback for Anna Berger done"), await RunAsync(Olivia, new OperatorAction(ActionKind.CallbackDone, Anna, Item: taken.Id)));
        Assert.Empty(_pbx.Directory.Current.Users.Single(u => u.Guid == Anna).Callbacks.Open);
        Assert.Contains(Audit, l => l.Contains($"CallbackDone anna callback {taken.Id} call -: done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_who_is_no_operator_takes_no_message_and_closes_no_callback()
    {
        var taken = await TakeOneAsync();
        var vera = Person("vera", "Vera Viewer");

        Assert.Equal(ActionState.Failed, (await RunAsync(vera, new OperatorAction(ActionKind.TakeMessage, Anna, Note: "hello"))).State);
        Assert.Equal(ActionState.Failed, (await RunAsync(vera, new OperatorAction(ActionKind.CallbackDone, Anna, Item: taken.Id))).State);

        Assert.Equal([taken.Id], _pbx.Directory.Current.Users.Single(u => u.Guid == Anna).Callbacks.Open.Select(c => c.Id));
    }

    public static TheoryData<string?, string?, string?> UnfitMessages => new()
    {
        { null, null, new string('x', Callback.MaxNoteLength + 1) },
        { new string('x', Callback.MaxCallerLength + 1), null, "note" },
        { null, new string('1', Callback.MaxCallerLength + 1), "note" },
        { "Mr\u0007Keller", null, "note" },
        { "  ", "", "   " },
    };

    [Theory]
    [MemberData(nameof(UnfitMessages))]
    public async Task A_message_too_long_with_control_characters_or_empty_is_refused_on_the_server(string? name, string? number, string? note)
    {
        var report = await RunAsync(Olivia, new OperatorAction(ActionKind.TakeMessage, Anna, Number: number, Note: note, CallerName: name));

        Assert.Equal(ActionState.Failed, report.State);
        Assert.Empty(_pbx.Directory.Current.Users.Single(u => u.Guid == Anna).Callbacks.Open);
        Assert.Contains("bad-message", Assert.Single(Audit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_for_nobody_on_the_board_is_refused()
    {
        var report = await RunAsync(Olivia, new OperatorAction(ActionKind.TakeMessage, TargetGuid: null, Note: "hello"));

        Assert.Equal(new ActionReport(ActionState.Failed, "That colleague is not on the board."), report);
    }

    [Fact]
    public async Task In_my_calls_a_person_closes_their_own_callbacks_only()
    {
        var annas = await TakeOneAsync();
        Assert.Equal(ActionState.Done, (await RunAsync(Olivia, new OperatorAction(ActionKind.TakeMessage, "g-carol", Note: "Call Mr Keller"))).State);
        var carols = Assert.Single(Book.Of("g-carol").Open);
        var myCalls = MyCallsOf(new OperatorOptions { PhoneClaim = "sub" });
        var anna = Person("anna", "Anna Berger");

        Assert.Equal(Anna, myCalls.Own(anna)?.Guid);
        Assert.Equal(ActionState.Failed, myCalls.Done(anna, carols.Id, ActionOrigin.Unknown).State);
        Assert.Single(Book.Of("g-carol").Open);

        Assert.Equal(ActionState.Done, myCalls.Done(anna, annas.Id, ActionOrigin.Unknown).State);
        Assert.Empty(Book.Of(Anna).Open);
        Assert.Contains(Audit, l => l.StartsWith("Operator action: anna (phone anna", StringComparison.Ordinal) && l.Contains($"CallbackDone anna callback {annas.Id} call -: done", StringComparison.Ordinal));

        // Nobody the PBX knows: no My calls at all.
        Assert.Null(myCalls.Own(Person("stranger", "Somebody")));
        Assert.Equal(ActionState.Failed, myCalls.Done(Person("stranger", "Somebody"), carols.Id, ActionOrigin.Unknown).State);
    }

    [Fact]
    public void Without_a_phone_claim_my_calls_follow_the_operators_phone_else_the_h323_of_the_login()
    {
        var myCalls = MyCallsOf(new OperatorOptions { Operators = [new OperatorEntry { User = "olivia", Phone = "carol" }] });

        Assert.Equal("g-carol", myCalls.Own(Olivia)?.Guid);
        Assert.Equal(Anna, myCalls.Own(Person("anna", "Anna Berger"))?.Guid);
        Assert.Null(myCalls.Own(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private async Task<Callback> TakeOneAsync()
    {
        Assert.Equal(ActionState.Done, (await RunAsync(Olivia, new OperatorAction(ActionKind.TakeMessage, Anna, Note: "About the invoice"))).State);
        return Assert.Single(Book.Of(Anna).Open);
    }

    private Task<ActionReport> RunAsync(ClaimsPrincipal viewer, OperatorAction action) => _actions.RunAsync(viewer, action, CancellationToken.None);

    private MyCalls MyCallsOf(OperatorOptions options)
    {
        var privacy = Options.Create(new PrivacyOptions());
        var roster = new OperatorRoster(Options.Create(options), _pbx.Directory, NullLogger<OperatorRoster>.Instance, signInEnabled: true);
        var audit = new OperatorAudit(privacy, new BlfMetrics(_services.GetRequiredService<IMeterFactory>(), _pbx.Directory, _pbx.Time), _pbx.Time, _loggers);
        return new MyCalls(roster, Book, _pbx.Desk, audit, _services.GetRequiredService<IStringLocalizer<ActionText>>(), _pbx.Time);
    }

    private static ClaimsPrincipal Person(string sub, string name) =>
        new(new ClaimsIdentity([new Claim("sub", sub), new Claim("name", name)], "test", "name", "roles"));

    public void Dispose()
    {
        _pbx.Dispose();
        _services.Dispose();
        _loggers.Dispose();
    }
}
