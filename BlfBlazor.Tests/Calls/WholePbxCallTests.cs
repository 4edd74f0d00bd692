using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using static BlfBlazor.Tests.Calls.CallHarness;

namespace BlfBlazor.Tests.Calls;

/// <summary><c>Pbx:CallFeed=WholePbx</c>: <c>calls:true</c> legs joined to tiles by guid (CALLS.md §2.7).</summary>
[Trait("Category", "Unit")]
public sealed class WholePbxCallTests : IDisposable
{
    private readonly CallHarness _pbx = new(CallFeed.WholePbx, presence: PresenceDetails.Off);

    public void Dispose() => _pbx.Dispose();

    [Theory]
    [InlineData("CallDel")]
    [InlineData("CallDelete")]
    public async Task An_external_call_to_a_user_rings_connects_and_ends_while_the_trunk_leg_is_ignored(string deleteName)
    {
        await ListAsync();

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallAdd","src":"blf","guid":"T0","cn":"Trunk","call":9000,"state":1,"conf-id":"C301","call-id":"K1"}""",
            """{"api":"RCC","mt":"CallAdd","src":"blf","guid":"g-bob","cn":"bob","call":9001,"state":129,"conf-id":"C301","call-id":"K1"}""",
            """{"api":"RCC","mt":"CallUpdate","src":"blf","call":9001,"msg":"r-setup","local":{"h323":"bob","e164":"102"},"remote":{"e164":"+497031123456"}}""",
            """{"api":"RCC","mt":"CallUpdate","src":"blf","call":9001,"msg":"x-alert"}""");
        var ringing = Assert.Single(_pbx.CallsOf("g-bob"));
        Assert.Equal((CallPhase.Ringing, CallDirection.In, "+497031123456"), (ringing.Phase, ringing.Direction, ringing.Peer!.Shown));

        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallUpdate","src":"blf","call":9001,"msg":"x-conn"}""");
        Assert.Equal(CallPhase.Talking, Assert.Single(_pbx.CallsOf("g-bob")).Phase);

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallUpdate","src":"blf","call":9001,"msg":"r-rel"}""",
            $$"""{"api":"RCC","mt":"{{deleteName}}","src":"blf","call":9001}""",
            $$"""{"api":"RCC","mt":"{{deleteName}}","src":"blf","call":9000}""");
        Assert.Empty(_pbx.CallsOf("g-bob"));
        Assert.Empty(_pbx.Dropped);
    }

    [Fact]
    public async Task An_internal_call_names_each_peer_by_pairing_the_legs_on_conf_id()
    {
        await ListAsync();

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallAdd","guid":"g-alice","cn":"alice","call":9010,"state":1,"conf-id":"C310"}""",
            """{"api":"RCC","mt":"CallUpdate","call":9010,"msg":"x-setup","remote":{"h323":"bob","e164":"102"}}""",
            """{"api":"RCC","mt":"CallAdd","guid":"g-bob","cn":"bob","call":9011,"state":129,"conf-id":"C310"}""",
            """{"api":"RCC","mt":"CallUpdate","call":9011,"msg":"x-alert","remote":{"h323":"alice","e164":"101"}}""");

        var alice = Assert.Single(_pbx.CallsOf("g-alice"));
        var bob = Assert.Single(_pbx.CallsOf("g-bob"));
        Assert.Equal(("Bob Baker", true, CallDirection.Out), (alice.Peer!.Shown, alice.Peer.IsInternal, alice.Direction));
        Assert.Equal(("Alice Adams", true, CallDirection.In), (bob.Peer!.Shown, bob.Peer.IsInternal, bob.Direction));

        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallUpdate","call":9010,"msg":"r-held"}""");
        Assert.True(Assert.Single(_pbx.CallsOf("g-alice")).IsHeld);
    }

    [Fact]
    public async Task Initialize_asks_for_every_call_with_calls_true()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        RccRequests.WriteInitialize(buffer, wholePbxCalls: true);

        Assert.Equal("""{"api":"RCC","mt":"Initialize","src":"blf","calls":true}""", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private Task ListAsync() => _pbx.FeedAsync(
        UserInfo("g-alice", "alice", "Alice Adams", "101"),
        UserInfo("g-bob", "bob", "Bob Baker", "102"),
        InitializeResult);
}
