using BlfBlazor.Operators;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using BoardPhase = BlfBlazor.State.CallPhase;
using SimPhase = BlfBlazor.PbxSimulator.Core.Model.CallPhase;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The app's operator desk against the simulator over a real loopback WebSocket: two independent
/// implementations of CALLS.md §4 and §7 must agree on every request and every proof.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeskAgainstSimulatorTests : IAsyncDisposable
{
    private const string Caller = "007031123456";
    private readonly BoardTestHost _host = new(users: 6, seed: 7);
    private OperatorDesk _desk = null!;
    private SimulatedUser _operator = null!;
    private SimulatedUser _bob = null!;
    private SimulatedUser _carol = null!;

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_operator_picks_up_a_ringing_colleague_and_puts_the_caller_through_announced()
    {
        var app = await StartAsync();
        var ringing = _host.Pbx.StartIncomingExternalCall(_bob.Guid, Caller);
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == _bob.Guid).Activity?.Calls is [{ Phase: BoardPhase.Ringing }, ..], "Bob ringing on the board");
        var bobsLeg = app.Directory.Current.Users.Single(u => u.Guid == _bob.Guid).Activity!.Calls[0].Handle;

        var pickedRequest = _host.Pbx.NextRequestAsync("UserPickup", CancellationToken.None);
        Assert.Equal(DeskResult.Done, (await _desk.PickupAsync(_operator.Cn, _bob.Cn, bobsLeg, CancellationToken.None)).Result);
        var pickup = (await pickedRequest).Message;
        Assert.Equal(_bob.Cn, pickup.GetProperty("cn").GetString());
        Assert.Equal((uint)ringing.CalleeLeg, pickup.GetProperty("call").GetUInt32());

        // Picked calls arrive ringing at an innovaphone phone: the operator answers from the board.
        var picked = Assert.Single(_desk.Phone(_operator.Cn).Calls);
        Assert.Equal(Caller, picked.Leg.Peer?.Number);
        Assert.Equal(DeskResult.Done, (await _desk.AnswerAsync(_operator.Cn, picked.Call, CancellationToken.None)).Result);
        Assert.Null(Legs(_bob));

        Assert.Equal(DeskResult.Done, (await _desk.AnnounceAsync(_operator.Cn, picked.Call, Destination.User(_carol.Cn), pastForwarding: false, CancellationToken.None)).Result);
        Assert.True(Legs(_operator)!.Single(l => l.Call == (int)picked.Call).Held);
        var carolsLeg = Assert.Single(Legs(_carol)!);
        Assert.Equal(SimPhase.Ringing, carolsLeg.Phase);
        _host.Pbx.Answer(carolsLeg.Call);

        Assert.Equal(DeskResult.Done, (await _desk.CompleteTransferAsync(_operator.Cn, CancellationToken.None)).Result);
        Assert.Null(Legs(_operator));
        var connected = Assert.Single(Legs(_carol)!);
        Assert.Equal(SimPhase.Talking, connected.Phase);
        Assert.Equal(Caller, connected.Peer);
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserTransfer");

        // Every request went through the one handle of the operator's own UserInitialize.
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserInitialize" && r.Message.GetProperty("src").GetString() == "o:" + _operator.Cn);
        var consult = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserCall").Message;
        Assert.Equal(_carol.Cn, consult.GetProperty("cn").GetString());
        Assert.Equal(pickup.GetProperty("user").GetUInt32(), consult.GetProperty("user").GetUInt32());
    }

    [Fact]
    public async Task A_blind_put_through_reaches_the_colleague_with_the_caller_and_the_operator_as_transferrer()
    {
        var app = await StartAsync(new ProtocolVariants { PickupConnected = true });
        _host.Pbx.StartIncomingExternalCall(_bob.Guid, Caller);
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == _bob.Guid).Activity?.Calls.Count == 1, "Bob's call on the board");

        Assert.Equal(DeskResult.Done, (await _desk.PickupAsync(_operator.Cn, _bob.Cn, 0, CancellationToken.None)).Result);
        var current = _desk.Phone(_operator.Cn).CurrentCall;
        Assert.NotNull(current);
        Assert.Equal(DeskResult.Done, (await _desk.PutThroughAsync(_operator.Cn, current.Call, Destination.User(_carol.Cn), pastForwarding: false, CancellationToken.None)).Result);

        // Put through follows the colleague's forwarding, like any call to them.
        var redirect = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserReroute").Message;
        Assert.Equal(current.Call, redirect.GetProperty("call").GetUInt32());
        Assert.Equal(_carol.Cn, redirect.GetProperty("cn").GetString());
        var carols = Assert.Single(Legs(_carol)!);
        Assert.Equal(Caller, carols.Peer);
        Assert.Equal(_operator.Dn, carols.TransferredBy);
        Assert.Null(Legs(_operator));
    }

    [Fact]
    public async Task A_pickup_after_the_colleague_answered_fails_and_changes_nothing()
    {
        var app = await StartAsync();
        var call = _host.Pbx.StartIncomingExternalCall(_bob.Guid, Caller);
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == _bob.Guid).Activity?.Calls.Count == 1, "Bob's call on the board");
        _host.Pbx.Answer(call.CalleeLeg);

        Assert.Equal(DeskResult.Refused, (await _desk.PickupAsync(_operator.Cn, _bob.Cn, (uint)call.CalleeLeg, CancellationToken.None)).Result);
        Assert.Equal(SimPhase.Talking, Assert.Single(Legs(_bob)!).Phase);
        Assert.Null(Legs(_operator));
    }

    [Theory]
    [InlineData(ClickToCallPhone.Innovaphone)]
    [InlineData(ClickToCallPhone.ThirdParty)]
    public async Task A_call_from_the_dial_box_leaves_the_operators_phone_in_either_phone_mode(ClickToCallPhone phone)
    {
        await StartAsync(new ProtocolVariants { PhoneMode = phone });

        Assert.Equal(DeskResult.Done, (await _desk.DialAsync(_operator.Cn, Destination.Dial("+497114711"), CancellationToken.None)).Result);
        Assert.Equal("+497114711", Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserCall").Message.GetProperty("e164").GetString());
        Assert.Equal("+497114711", Assert.Single(Legs(_operator)!).Peer);

        var own = Assert.Single(_desk.Phone(_operator.Cn).Calls);
        Assert.Equal(DeskResult.Done, (await _desk.HangUpAsync(_operator.Cn, own.Call, CancellationToken.None)).Result);
        Assert.Null(Legs(_operator));
    }

    [Fact]
    public async Task The_ring_a_third_party_phone_gets_for_its_own_call_is_no_missed_call_but_a_callers_ring_is()
    {
        // One second keeps the unconfirmed dial short: the phone's ring ends untaken, so nothing shows on the handle.
        var app = await StartAsync(new ProtocolVariants { PhoneMode = ClickToCallPhone.ThirdPartyNotTaken }, TimeSpan.FromSeconds(1));
        await app.Directory.WaitForMonitoredAsync(_host.Pbx.Users.Count(user => user.IsPerson));

        await _desk.DialAsync(_operator.Cn, Destination.Dial("+497114711"), CancellationToken.None);
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserCall");

        // A caller who gives up while the operator's phone rings: the board's frames come in order, so once
        // this one is counted the dial's ring before it has been decided too.
        var call = _host.Pbx.StartIncomingExternalCall(_operator.Guid, Caller);
        _host.Pbx.HangUp(call.CallerLeg);
        var board = await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == _operator.Guid).Missed.Calls.Count > 0, "the caller's ring on the operator's tile");

        var missed = Assert.Single(board.Users.Single(u => u.Guid == _operator.Guid).Missed.Calls);
        Assert.Equal(Caller, missed.Peer?.Number);
    }

    [Theory]
    [InlineData(ActionFailure.CallZero, DeskResult.Refused)]
    [InlineData(ActionFailure.Error, DeskResult.Refused)]
    [InlineData(ActionFailure.Silence, DeskResult.NotConfirmed)]
    public async Task Every_failure_shape_of_the_PBX_ends_the_action_as_a_failure(ActionFailure failure, DeskResult expected)
    {
        // One second keeps the silent-PBX case short; the other shapes fail at once.
        await StartAsync(new ProtocolVariants { FailAction = failure }, TimeSpan.FromSeconds(1));

        Assert.Equal(expected, (await _desk.DialAsync(_operator.Cn, Destination.User(_carol.Cn), CancellationToken.None)).Result);
        Assert.Null(Legs(_carol));
    }

    /// <param name="actionTimeout">How long the desk waits for proof; the default (5 s), so a loaded machine is no failure.</param>
    private async Task<BoardApp> StartAsync(ProtocolVariants? variants = null, TimeSpan? actionTimeout = null)
    {
        await _host.StartAsync();
        if (variants is not null)
        {
            _host.Pbx.Variants = variants;
        }

        var app = await _host.StartLiveAppAsync(actionTimeout is { } timeout
            ? new Dictionary<string, string?> { ["Pbx:ActionTimeout"] = timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture) }
            : null);
        _desk = app.Services.GetRequiredService<OperatorDesk>();
        (_operator, _bob, _carol) = (_host.Pbx.Users[0], _host.Pbx.Users[1], _host.Pbx.Users[2]);
        return app;
    }

    private IReadOnlyList<LegTruth>? Legs(SimulatedUser user) =>
        _host.Pbx.Truth.Calls.TryGetValue(user.Guid, out var legs) && legs.Count > 0 ? legs : null;
}
