using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using static BlfBlazor.Tests.Calls.CallHarness;

namespace BlfBlazor.Tests.Calls;

/// <summary><c>Blf:CallDetails</c> is applied where frames become state: what it hides is never stored.</summary>
[Trait("Category", "Unit")]
public sealed class CallPrivacyTests
{
    private const string ExternalCall = """{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"peer":{"e164":"01712345678","h323":"","cn":"","dn":""}}""";
    private const string InternalCall = """{"api":"RCC","mt":"CallInfo","user":12,"call":302,"state":129,"peer":{"cn":"alice","dn":"Alice Adams","h323":"alice","e164":"101"},"no":[{"type":"ct","e164":"0711999"}]}""";

    [Theory]
    [InlineData(CallDetails.Full, "01712345678", "Alice Adams", "0711999")]
    [InlineData(CallDetails.Internal, null, "Alice Adams", null)]
    [InlineData(CallDetails.Off, null, null, null)]
    public async Task Each_level_keeps_exactly_what_it_allows(CallDetails details, string? external, string? internalName, string? transferrer)
    {
        using var pbx = new CallHarness(details: details, presence: PresenceDetails.Off);
        await pbx.FeedAsync(UserInfo("g-bob", "bob", "Bob Baker", "102"), InitializeResult,
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-bob","user":12}""", ExternalCall, InternalCall);

        var calls = pbx.CallsOf("g-bob").ToDictionary(c => c.Handle);
        Assert.Equal(external, calls[301].Peer?.Shown);
        Assert.Equal(internalName, calls[302].Peer?.Shown);
        Assert.Equal(transferrer, calls[302].Via);
        Assert.Equal(details != CallDetails.Off, calls[301].Peer is { IsInternal: false });

        // Direction and duration stay at every level.
        Assert.Equal(CallDirection.In, calls[302].Direction);
        Assert.Equal(pbx.Time.GetUtcNow().ToUnixTimeMilliseconds(), calls[301].SinceUnixMs);
    }

    [Theory]
    [InlineData(1, CallPhase.Dialling, CallDirection.Out)]
    [InlineData(4, CallPhase.Dialling, CallDirection.Out)]
    [InlineData(5, CallPhase.Talking, CallDirection.Out)]
    [InlineData(6, CallPhase.Ending, CallDirection.Out)]
    [InlineData(129, CallPhase.Ringing, CallDirection.In)]
    [InlineData(132, CallPhase.Ringing, CallDirection.In)]
    [InlineData(133, CallPhase.Talking, CallDirection.In)]
    [InlineData(134, CallPhase.Ending, CallDirection.In)]
    [InlineData(135, CallPhase.Ending, CallDirection.In)]
    [InlineData(261, CallPhase.Held, CallDirection.Out)]
    [InlineData(263, CallPhase.Ending, CallDirection.Out)]
    [InlineData(389, CallPhase.Held, CallDirection.In)]
    [InlineData(645, CallPhase.Held, CallDirection.In)]
    [InlineData(0x400 | 1, CallPhase.Ringing, CallDirection.Out)]
    [InlineData(8, CallPhase.Parked, CallDirection.Out)]
    public void State_bits_decode_to_the_phase_and_direction_a_tile_shows(int state, CallPhase phase, CallDirection direction)
    {
        Assert.Equal(phase, new CallStateBits(state).Phase);
        Assert.Equal(direction, new CallStateBits(state).Direction);
    }
}
