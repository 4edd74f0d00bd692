using System.Net.WebSockets;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// PbxApi actions over a real WebSocket (PBXAPIS.md §3, §9.4): SetPresence and the PresenceUpdate that
/// confirms it, AddDiversion/DelDiversion/GetDiversion on a 14r1 PBX and the ReplicateUpdate that confirms
/// them, and the same requests meeting a 13r1 PBX. Cast: users[0..3] play Olivia, Alice, Bob and Carol.
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorPbxApiTests
{
    private const string Mobile = "00171234567";

    [Theory]
    [InlineData(SetPresenceSuccess.NoError, null)]
    [InlineData(SetPresenceSuccess.ErrorZero, 0)]
    public async Task SetPresence_is_answered_then_confirmed_by_the_PresenceUpdate_and_cleared_alike(SetPresenceSuccess ok, int? error)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { SetPresenceOk = ok });
        var alice = feed.Users[1];
        await feed.SubscribeAsync(alice, answers: 3);
        var recorded = feed.Pbx.NextRequestAsync("SetPresence", feed.Token);

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SetPresence","sip":"{{alice.H323}}","contact":"tel:","activity":"lunch","note":"back at 14:00","src":"a:21"}""");
        var set = await feed.ReadAsync(2);
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SetPresence","guid":"{{alice.Guid}}","contact":"tel:","activity":"","note":"","src":"a:22"}""");
        var cleared = await feed.ReadAsync(2);

        Assert.Equal(["SetPresenceResult", "PresenceUpdate"], set.Select(Mt));
        Assert.Equal(("a:21", error), (set[0].GetProperty("src").GetString(), set[0].TryGetProperty("error", out var code) ? code.GetInt32() : (int?)null));
        Assert.Equal("""{"contact":"tel:","status":"open","activity":"lunch","note":"back at 14:00"}""", set[1].GetProperty("presence")[0].GetRawText());
        Assert.Equal($"p:{alice.Guid}", set[1].GetProperty("src").GetString());
        Assert.Equal(["SetPresenceResult", "PresenceUpdate"], cleared.Select(Mt));
        Assert.Equal("", cleared[1].GetProperty("presence")[0].GetProperty("activity").GetString());
        Assert.Equal(new PresenceTruth("", "", true), feed.Pbx.Truth.Presence[alice.Guid]);
        Assert.Equal("lunch", (await recorded).Message.GetProperty("activity").GetString());
    }

    [Fact]
    public async Task SetPresence_for_a_sip_the_pbx_does_not_know_fails_with_error_1()
    {
        await using var feed = await CallFeedSession.StartAsync();

        await feed.SendAsync("""{"api":"PbxApi","mt":"SetPresence","sip":"nobody","contact":"tel:","activity":"away","src":"a:1"}""");
        var answer = await feed.ReceiveAsync();

        Assert.Equal(("SetPresenceResult", "a:1", 1), (Mt(answer), answer.GetProperty("src").GetString(), answer.GetProperty("error").GetInt32()));
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("errorText").GetString()));
        await feed.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_presence_set_to_what_it_was_is_confirmed_again_only_with_SetPresenceEcho(bool echo)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { SetPresenceEcho = echo });
        var alice = feed.Users[1];
        feed.Pbx.SetPresence(alice.Guid, "away", "");
        await feed.SubscribeAsync(alice, answers: 3);

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SetPresence","sip":"{{alice.H323}}","contact":"tel:","activity":"away","note":"","src":"a:1"}""");

        Assert.Equal(echo ? ["SetPresenceResult", "PresenceUpdate"] : ["SetPresenceResult"], (await feed.ReadUntilMarkerAsync()).Select(Mt));
    }

    [Fact]
    public async Task On_14r1_AddDiversion_and_DelDiversion_answer_ok_and_the_table_shows_the_change_as_in_9_4()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];
        await ReplicateAsync(feed);

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"AddDiversion","sip":"{{bob.H323}}","type":"cfu","ep-num":"{{Mobile}}","src":"a:22"}""");
        var added = await feed.ReadAsync(2);
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"GetDiversion","sip":"{{bob.H323}}","type":"cfu","src":"a:23"}""");
        var got = await feed.ReceiveAsync();
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"DelDiversion","guid":"{{bob.Guid}}","type":"cfu","src":"a:24"}""");
        var deleted = await feed.ReadAsync(2);
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"GetDiversion","sip":"{{bob.H323}}","type":"cfu","src":"a:25"}""");
        var none = await feed.ReceiveAsync();

        Assert.Equal("""{"api":"PbxApi","mt":"AddDiversionResult","src":"a:22","ok":true}""", added[0].GetRawText());
        Assert.Equal(("ReplicateUpdate", bob.Guid), (Mt(added[1]), added[1].GetProperty("columns").GetProperty("guid").GetString()));
        Assert.Equal($$"""[{"type":"cfu","e164":"{{Mobile}}"}]""", added[1].GetProperty("columns").GetProperty("cds").GetRawText());
        Assert.Equal($$"""{"api":"PbxApi","mt":"GetDiversionResult","src":"a:23","num":"{{Mobile}}"}""", got.GetRawText());
        Assert.Equal("""{"api":"PbxApi","mt":"DelDiversionResult","src":"a:24","ok":true}""", deleted[0].GetRawText());
        Assert.False(deleted[1].GetProperty("columns").TryGetProperty("cds", out _));
        Assert.Equal("""{"api":"PbxApi","mt":"GetDiversionResult","src":"a:25"}""", none.GetRawText());
        Assert.Empty(feed.Pbx.Find(bob.Guid)!.Diversions);
    }

    [Theory]
    [InlineData("""{"api":"PbxApi","mt":"AddDiversion","sip":"nobody","type":"cfu","ep-num":"103","src":"a:1"}""")]
    [InlineData("""{"api":"PbxApi","mt":"AddDiversion","sip":"BOB","type":"always","ep-num":"103","src":"a:1"}""")]
    [InlineData("""{"api":"PbxApi","mt":"AddDiversion","sip":"BOB","type":"cfu","src":"a:1"}""")]
    [InlineData("""{"api":"PbxApi","mt":"DelDiversion","sip":"nobody","type":"cfu","src":"a:1"}""")]
    public async Task A_diversion_request_for_nobody_an_unknown_type_or_no_destination_answers_ok_false_and_changes_nothing(string request)
    {
        await using var feed = await CallFeedSession.StartAsync();
        await ReplicateAsync(feed);

        await feed.SendAsync(request.Replace("BOB", feed.Users[2].H323, StringComparison.Ordinal));

        var answer = await feed.ReceiveAsync();
        Assert.False(answer.GetProperty("ok").GetBoolean());
        await feed.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(AddDiversionMode.Replace, new[] { "cfu nightmode", "cfu 00171234567" })]
    [InlineData(AddDiversionMode.Append, new[] { "cfu 103", "cfu nightmode", "cfu 00171234567" })]
    public async Task AddDiversion_on_a_type_the_user_has_replaces_or_appends_and_keeps_conditional_entries(AddDiversionMode mode, string[] expected)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { AddDiversionMode = mode });
        var bob = feed.Users[2];
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfu, E164: "103"), new Diversion(DiversionType.Cfu, E164: "104", Bool: "nightmode")]);

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"AddDiversion","sip":"{{bob.H323}}","type":"cfu","ep-num":"{{Mobile}}","src":"a:1"}""");
        await feed.ReceiveAsync();

        Assert.Equal(expected, feed.Pbx.Find(bob.Guid)!.Diversions.Select(entry => $"{entry.Type.ToString().ToLowerInvariant()} {entry.Bool ?? entry.E164}"));
    }

    [Theory]
    [InlineData(UnknownMtAnswer.Silence)]
    [InlineData(UnknownMtAnswer.Error)]
    [InlineData(UnknownMtAnswer.Close)]
    public async Task On_13r1_the_diversion_requests_are_unknown_and_meet_UnknownMt(UnknownMtAnswer unknown)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PbxVersion = PbxVersion.V13r1, UnknownMt = unknown });
        var bob = feed.Users[2];
        var recorded = feed.Pbx.NextRequestAsync("GetDiversion", feed.Token);

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"GetDiversion","sip":"{{bob.H323}}","type":"cfu","src":"a:1"}""");

        switch (unknown)
        {
            case UnknownMtAnswer.Silence:
                await feed.AssertNothingPendingAsync();
                break;
            case UnknownMtAnswer.Error:
                var answer = await feed.ReceiveAsync();
                Assert.Equal(("PbxApi", "GetDiversionResult", "a:1"), (answer.GetProperty("api").GetString(), Mt(answer), answer.GetProperty("src").GetString()));
                Assert.False(string.IsNullOrEmpty(answer.GetProperty("error").GetString()));
                Assert.False(answer.TryGetProperty("num", out _));
                break;
            default:
                Assert.Equal(WebSocketMessageType.Close, (await feed.Client!.ReceiveFrameAsync(feed.Token)).Type);
                break;
        }

        Assert.Equal("PbxApi", (await recorded).Message.GetProperty("api").GetString());
    }

    [Fact]
    public async Task A_pbx_refusing_PbxApi_refuses_the_actions_too()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PbxApiRefused = PbxApiRefusal.Error });
        var bob = feed.Users[2];

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SetPresence","sip":"{{bob.H323}}","activity":"away","src":"a:1"}""");
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"AddDiversion","sip":"{{bob.H323}}","type":"cfu","ep-num":"{{Mobile}}","src":"a:2"}""");
        var answers = await feed.ReadAsync(2);

        Assert.Equal(["SetPresenceResult", "AddDiversionResult"], answers.Select(Mt));
        Assert.All(answers, answer => Assert.Equal("NotAllowed", answer.GetProperty("error").GetString()));
        Assert.Equal(new PresenceTruth("", "", true), feed.Pbx.Truth.Presence[bob.Guid]);
        Assert.Empty(feed.Pbx.Find(bob.Guid)!.Diversions);
    }

    /// <summary>Starts the board's replication of the user table and pages it to the end.</summary>
    private static async Task ReplicateAsync(CallFeedSession feed)
    {
        await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateStart","src":"tu","add":true,"del":true,"columns":{"guid":{},"cn":{},"h323":{},"e164":{},"pseudo":{},"cds":{},"grps":{}},"pseudo":["","executive","waiting"]}""");
        await feed.ReceiveAsync();
        JsonElement row;
        do
        {
            await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateNext","src":"tu"}""");
            row = await feed.ReceiveAsync();
        }
        while (row.TryGetProperty("columns", out _));
    }
}
