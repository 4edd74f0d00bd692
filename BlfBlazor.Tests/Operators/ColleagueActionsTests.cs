using System.Security.Claims;
using BlfBlazor.Operators;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Operators;

/// <summary>
/// What an operator sets for a colleague (PBXAPIS §3.1, §3.2, §3.4): presence and forwarding through PbxApi on
/// the wire, each done only when the directory shows it, and the probe that tells whether forwarding can be set.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ColleagueActionsTests : IDisposable
{
    private const string Anna = "g-anna";
    private const string Carol = "g-carol";
    private readonly DeskHarness _pbx = new();
    private readonly CapturedLogs _logs = new();
    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggers;

    public ColleagueActionsTests()
    {
        _services = new ServiceCollection().AddMetrics().AddLogging().AddLocalization().BuildServiceProvider();
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
    }

    private static ClaimsPrincipal Olivia => new(new ClaimsIdentity([new Claim("sub", "olivia"), new Claim("name", "Olivia Operator")], "test", "name", "roles"));

    private IPbxStateWriter State => _pbx.Directory;

    [Fact]
    public async Task Presence_with_a_note_is_sent_as_SetPresence_and_done_only_when_the_directory_shows_it()
    {
        var actions = await LiveAsync();

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "lunch", Note: " back at 14:00 "), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("SetPresence");
        Assert.Equal("PbxApi", sent.GetProperty("api").GetString());
        Assert.Equal("anna", sent.GetProperty("sip").GetString());
        Assert.Equal("tel:", sent.GetProperty("contact").GetString());
        Assert.Equal("lunch", sent.GetProperty("activity").GetString());
        Assert.Equal("back at 14:00", sent.GetProperty("note").GetString());
        Assert.True(_pbx.Feed($$"""{"api":"PbxApi","mt":"SetPresenceResult","src":"{{sent.GetProperty("src").GetString()}}"}"""));

        // The PBX said yes; the board says done when its directory shows it, as every board will.
        State.ApplyPresence(Anna, new UserPresence("away", null));
        Assert.False(report.IsCompleted);
        State.ApplyPresence(Anna, new UserPresence("lunch", "back at 14:00"));

        Assert.Equal(new ActionReport(ActionState.Done, "Anna Berger's presence is set"), await report);
        var audit = Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.Contains("SetPresence anna presence lunch \"back at 14:00\" call -: done after ", audit.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clearing_sends_an_empty_activity_and_note_and_a_presence_already_shown_is_done_at_the_answer()
    {
        var actions = await LiveAsync();
        State.ApplyPresence(Anna, new UserPresence(string.Empty, null));

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "available", Note: string.Empty), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("SetPresence");
        Assert.Equal(string.Empty, sent.GetProperty("activity").GetString());
        Assert.Equal(string.Empty, sent.GetProperty("note").GetString());
        Assert.False(report.IsCompleted);
        _pbx.Feed($$"""{"api":"PbxApi","mt":"SetPresenceResult","src":"{{sent.GetProperty("src").GetString()}}"}""");

        Assert.Equal(ActionState.Done, (await report).State);
    }

    [Theory]
    [InlineData(CallDetails.Full, true)]
    [InlineData(CallDetails.Internal, false)]
    public async Task An_error_answer_fails_with_the_PBXs_words_which_the_audit_keeps_only_with_full_call_details(CallDetails details, bool kept)
    {
        var actions = await LiveAsync(new PrivacyOptions { CallDetails = details });

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "dnd", Note: "in a meeting with Mr Keller"), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("SetPresence");
        // errorText first: the reader keeps the first of error and errorText, and a bare number says nothing.
        _pbx.Feed($$"""{"api":"PbxApi","mt":"SetPresenceResult","src":"{{sent.GetProperty("src").GetString()}}","errorText":"no such user","error":1}""");

        Assert.Equal(new ActionReport(ActionState.Failed, "The PBX refused: no such user"), await report);
        var audit = Assert.Single(_logs.Entries, e => e.Category == OperatorAudit.Category);
        Assert.Contains(": refused after ", audit.Text, StringComparison.Ordinal);
        Assert.Equal(kept, _logs.AllText.Contains("no such user", StringComparison.Ordinal));
        Assert.Equal(kept, _logs.AllText.Contains("Mr Keller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_presence_the_directory_never_shows_fails_at_the_action_timeout()
    {
        var actions = await LiveAsync();

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "away"), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("SetPresence");
        _pbx.Feed($$"""{"api":"PbxApi","mt":"SetPresenceResult","src":"{{sent.GetProperty("src").GetString()}}"}""");
        _pbx.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(
            new ActionReport(ActionState.Failed, "The PBX accepted, but the board did not see the change within 5 s: look at the tile before trying again."),
            await report);
        Assert.Contains(_logs.Entries, e => e.Category == OperatorAudit.Category && e.Text.Contains(": timeout after ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Where_notes_are_hidden_the_activity_alone_proves_it()
    {
        var actions = await LiveAsync(new PrivacyOptions { Presence = PresenceDetails.NotesHidden });

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "busy", Note: "until 3"), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("SetPresence");
        _pbx.Feed($$"""{"api":"PbxApi","mt":"SetPresenceResult","src":"{{sent.GetProperty("src").GetString()}}"}""");
        State.ApplyPresence(Anna, new UserPresence("busy", null));

        Assert.Equal(ActionState.Done, (await report).State);
    }

    [Theory]
    [InlineData("vacation", "x")]
    [InlineData("<script>", "x")]
    [InlineData(null, "x")]
    [InlineData("away", "line\nbreak")]
    public async Task An_activity_the_menu_does_not_offer_or_an_unfit_note_is_refused_and_nothing_is_sent(string? activity, string note)
    {
        var actions = await LiveAsync();

        var report = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: activity, Note: note), CancellationToken.None);

        Assert.Equal(ActionState.Failed, report.State);
        Assert.True(_pbx.NothingSent);
        Assert.DoesNotContain("script", _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_longer_than_the_box_allows_is_refused_on_the_server_too()
    {
        var actions = await LiveAsync();

        var report = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetPresence, Anna, Activity: "away", Note: new string('x', PresenceChoice.MaxNoteLength + 1)), CancellationToken.None);

        Assert.Equal(new ActionReport(ActionState.Failed, "The note may have at most 100 characters and no line breaks."), report);
        Assert.True(_pbx.NothingSent);
    }

    [Fact]
    public async Task The_probe_asks_GetDiversion_of_a_user_once_the_list_is_complete_and_any_result_means_forwarding_can_be_set()
    {
        await ConnectWithUsersAsync();

        var probe = await _pbx.NextSentAsync("GetDiversion");
        Assert.Equal("PbxApi", probe.GetProperty("api").GetString());
        Assert.Equal("anna", probe.GetProperty("sip").GetString());
        Assert.Equal("cfu", probe.GetProperty("type").GetString());
        Assert.False(_pbx.Desk.CanSetForwarding);
        await AnswerProbeAsync(probe, """ "num":"00171234567" """);

        Assert.True(_pbx.Desk.CanSetForwarding);
    }

    [Fact]
    public async Task Without_the_user_table_forwarding_is_not_offered_though_the_PBX_could_set_it()
    {
        // The PBX could set it, but without TableUsers the board could never see the change.
        using var pbx = new DeskHarness(tableRefused: true);
        await ConnectWithUsersAsync(pbx);

        await AnswerProbeAsync(await pbx.NextSentAsync("GetDiversion"), """ "num":"00171234567" """, pbx);

        Assert.False(pbx.Desk.CanSetForwarding);
    }

    [Fact]
    public async Task An_error_answer_to_the_probe_means_forwarding_cannot_be_set()
    {
        await ConnectWithUsersAsync();

        await AnswerProbeAsync(await _pbx.NextSentAsync("GetDiversion"), """ "error":"unknown message" """);

        Assert.False(_pbx.Desk.CanSetForwarding);
    }

    [Fact]
    public async Task Silence_until_the_action_timeout_means_forwarding_cannot_be_set_until_the_next_connection_asks_again()
    {
        await ConnectWithUsersAsync();
        await _pbx.NextSentAsync("GetDiversion");
        var probed = Probed();

        _pbx.Time.Advance(TimeSpan.FromSeconds(5));
        await probed;
        Assert.False(_pbx.Desk.CanSetForwarding);

        // Once per connection: the next one asks again.
        _pbx.Disconnect();
        await ConnectWithUsersAsync();
        await AnswerProbeAsync(await _pbx.NextSentAsync("GetDiversion"), string.Empty);
        Assert.True(_pbx.Desk.CanSetForwarding);
    }

    [Fact]
    public async Task A_socket_closed_during_the_probe_means_no_forwarding_and_that_PBX_is_never_asked_again()
    {
        await ConnectWithUsersAsync();
        await _pbx.NextSentAsync("GetDiversion");
        var probed = Probed();
        _pbx.Disconnect();
        await probed;

        // An older PBX may close on what it does not know: asking on every reconnect would be a reconnect loop.
        await ConnectWithUsersAsync();
        Assert.False(_pbx.Desk.CanSetForwarding);
        Assert.True(_pbx.NothingSent);
    }

    [Fact]
    public async Task A_board_where_nobody_can_sign_in_never_asks()
    {
        using var pbx = new DeskHarness(asksForDiversions: false);

        await ConnectWithUsersAsync(pbx);

        Assert.True(pbx.NothingSent);
        Assert.False(pbx.Desk.CanSetForwarding);
    }

    [Fact]
    public async Task Forwarding_to_a_number_sends_AddDiversion_and_is_done_when_the_table_shows_it()
    {
        var actions = await LiveAsync(forwarding: true);

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetForwarding, Anna, Number: "0171 234 567", Diversion: DiversionKind.Always), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("AddDiversion");
        Assert.Equal("PbxApi", sent.GetProperty("api").GetString());
        Assert.Equal("anna", sent.GetProperty("sip").GetString());
        Assert.Equal("cfu", sent.GetProperty("type").GetString());
        Assert.Equal("0171234567", sent.GetProperty("ep-num").GetString());
        _pbx.Feed($$"""{"api":"PbxApi","mt":"AddDiversionResult","ok":true,"src":"{{sent.GetProperty("src").GetString()}}"}""");
        Assert.False(report.IsCompleted);

        State.ApplyTableRow(new UserTableRow(Anna, string.Empty, [new Diversion(DiversionKind.Always, null, "0171234567", IsExternal: true, IsConditional: false)]));

        Assert.Equal(new ActionReport(ActionState.Done, "Anna Berger's calls are forwarded"), await report);
        Assert.Contains(_logs.Entries, e => e.Category == OperatorAudit.Category && e.Text.Contains("SetForwarding anna Always to 0171234567 call -: done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forwarding_to_a_colleague_names_their_number_and_is_done_when_the_table_points_at_them()
    {
        var actions = await LiveAsync(forwarding: true);

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetForwarding, Anna, Diversion: DiversionKind.NoAnswer, DestinationGuid: Carol), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("AddDiversion");
        Assert.Equal("cfnr", sent.GetProperty("type").GetString());
        Assert.Equal("103", sent.GetProperty("ep-num").GetString());
        _pbx.Feed($$"""{"api":"PbxApi","mt":"AddDiversionResult","ok":true,"src":"{{sent.GetProperty("src").GetString()}}"}""");

        // A diversion of another kind, or to someone else, is not the one asked for.
        State.ApplyTableRow(new UserTableRow(Anna, string.Empty, [new Diversion(DiversionKind.Always, Carol, "Carol Clark", false, false)]));
        Assert.False(report.IsCompleted);
        State.ApplyTableRow(new UserTableRow(Anna, string.Empty, [new Diversion(DiversionKind.NoAnswer, Carol, "Carol Clark", false, false)]));

        Assert.Equal(ActionState.Done, (await report).State);
    }

    [Theory]
    [InlineData(""" "ok":false """)]
    [InlineData(""" "ok":"true" """)]
    [InlineData(""" "error":"not allowed" """)]
    public async Task AddDiversion_without_a_literal_ok_true_fails(string answer)
    {
        var actions = await LiveAsync(forwarding: true);

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetForwarding, Anna, Number: "200", Diversion: DiversionKind.Busy), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("AddDiversion");
        _pbx.Feed($$"""{"api":"PbxApi","mt":"AddDiversionResult",{{answer}},"src":"{{sent.GetProperty("src").GetString()}}"}""");

        Assert.Equal(ActionState.Failed, (await report).State);
    }

    [Fact]
    public async Task Clearing_a_forwarding_sends_DelDiversion_and_is_done_when_the_table_no_longer_has_it()
    {
        var actions = await LiveAsync(forwarding: true);
        State.ApplyTableRow(new UserTableRow(Anna, string.Empty, [new Diversion(DiversionKind.Busy, Carol, "Carol Clark", false, false)]));

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.ClearForwarding, Anna, Diversion: DiversionKind.Busy), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("DelDiversion");
        Assert.Equal("anna", sent.GetProperty("sip").GetString());
        Assert.Equal("cfb", sent.GetProperty("type").GetString());
        Assert.False(sent.TryGetProperty("ep-num", out _));
        _pbx.Feed($$"""{"api":"PbxApi","mt":"DelDiversionResult","ok":true,"src":"{{sent.GetProperty("src").GetString()}}"}""");
        Assert.False(report.IsCompleted);
        State.ApplyTableRow(new UserTableRow(Anna, string.Empty, []));

        Assert.Equal(new ActionReport(ActionState.Done, "Anna Berger's forwarding is cleared"), await report);
    }

    [Fact]
    public async Task A_forwarding_the_table_never_shows_fails_at_the_action_timeout()
    {
        var actions = await LiveAsync(forwarding: true);

        var report = actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetForwarding, Anna, Number: "200", Diversion: DiversionKind.Always), CancellationToken.None);
        var sent = await _pbx.NextSentAsync("AddDiversion");
        _pbx.Feed($$"""{"api":"PbxApi","mt":"AddDiversionResult","ok":true,"src":"{{sent.GetProperty("src").GetString()}}"}""");
        _pbx.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(ActionState.Failed, (await report).State);
        Assert.Contains(_logs.Entries, e => e.Category == OperatorAudit.Category && e.Text.Contains(": timeout after ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, DiversionKind.Always, "Olivia")]
    [InlineData("no number", DiversionKind.Always, null)]
    [InlineData("101", DiversionKind.Always, null)]
    [InlineData("200", (DiversionKind)7, null)]
    public async Task What_the_page_cannot_mean_is_refused_and_nothing_is_sent(string? number, DiversionKind kind, string? toGuid)
    {
        // No such colleague, not a number, Anna's own number (a loop), no such diversion.
        var actions = await LiveAsync(forwarding: true);

        var report = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.SetForwarding, Anna, Number: number, Diversion: kind, DestinationGuid: toGuid), CancellationToken.None);

        Assert.Equal(ActionState.Failed, report.State);
        Assert.True(_pbx.NothingSent);
    }

    [Fact]
    public async Task Where_the_PBX_cannot_set_forwarding_the_action_is_refused_and_nothing_is_sent()
    {
        var actions = await LiveAsync(forwarding: false);

        var report = await actions.RunAsync(Olivia, new OperatorAction(ActionKind.ClearForwarding, Anna, Diversion: DiversionKind.Always), CancellationToken.None);

        Assert.Equal(new ActionReport(ActionState.Failed, "This PBX does not let the board set forwarding."), report);
        Assert.True(_pbx.NothingSent);
    }

    /// <summary>A live connection listing Anna (h323 anna, 101) and Carol (carol, 103), the probe answered as <paramref name="forwarding"/> says.</summary>
    private async Task<OperatorActions> LiveAsync(PrivacyOptions? privacy = null, bool forwarding = false)
    {
        var actions = _pbx.Actions(_services, _loggers, privacy);
        await ConnectWithUsersAsync();
        await AnswerProbeAsync(await _pbx.NextSentAsync("GetDiversion"), forwarding ? string.Empty : """ "error":"unknown" """);
        Assert.Equal(forwarding, _pbx.Desk.CanSetForwarding);
        return actions;
    }

    private async Task ConnectWithUsersAsync(DeskHarness? harness = null)
    {
        var pbx = harness ?? _pbx;
        await pbx.ConnectAsync();
        pbx.Feed("""{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-anna","cn":"anna","dn":"Anna Berger","e164":"101","h323":"anna","regs":[{}]}""");
        pbx.Feed("""{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-carol","cn":"carol","dn":"Carol Clark","e164":"103","h323":"carol","regs":[{}]}""");
        pbx.Feed("""{"api":"RCC","mt":"InitializeResult","src":"blf"}""");
    }

    private async Task AnswerProbeAsync(System.Text.Json.JsonElement probe, string fields, DeskHarness? harness = null)
    {
        var pbx = harness ?? _pbx;
        var probed = Probed(pbx);
        var comma = fields.Trim().Length == 0 ? string.Empty : ",";
        Assert.True(pbx.Feed($$"""{"api":"PbxApi","mt":"GetDiversionResult"{{comma}}{{fields}},"src":"{{probe.GetProperty("src").GetString()}}"}"""));
        await probed;
    }

    /// <summary>Completes when the desk has its answer (the probe runs on after the answer's frame was taken).</summary>
    private Task Probed(DeskHarness? harness = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (harness ?? _pbx).Desk.CapabilitiesChanged += () => done.TrySetResult();
        return done.Task.WaitAsync(TestTimeouts.StateShown);
    }

    public void Dispose()
    {
        _pbx.Dispose();
        _services.Dispose();
        _loggers.Dispose();
    }
}
