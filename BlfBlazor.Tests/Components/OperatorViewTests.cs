using System.Security.Claims;
using BlfBlazor.Components.Board;
using BlfBlazor.Diagnostics;
using BlfBlazor.Operators;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Components;

/// <summary>What a page can make an operator's board keep: nothing for a non-operator or a guid that is no tile, and a bounded number of marks otherwise.</summary>
[Trait("Category", "Unit")]
public sealed class OperatorViewTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;
    private readonly UserDirectory _directory;
    private readonly OperatorView _view;
    private int _changes;

    public OperatorViewTests()
    {
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(_directory)
            .AddMetrics()
            .AddSingleton<BlfMetrics>()
            .AddLogging()
            .AddLocalization();
        _services = services.AddBoardOperatorServices().BuildServiceProvider();
        _view = new OperatorView(_services.GetRequiredService<OperatorActions>(), "own", work => { work(); return Task.CompletedTask; }, () => _changes++, () => ActionOrigin.Unknown);

        IPbxStateWriter state = _directory;
        state.BeginResync();
        for (var i = 0; i < 40; i++)
        {
            state.Apply(UserChange.Upsert(new PbxUserInfo($"g{i:00}", $"u{i}", $"User {i}", $"{100 + i}", null, "root", "master", 1, 0, 0), isLive: false));
        }

        state.CompleteResync();
    }

    [Fact]
    public async Task A_board_where_nobody_may_act_keeps_nothing_for_any_action()
    {
        for (var i = 0; i < 1000; i++)
        {
            await _view.RunAsync(new OperatorAction(ActionKind.Call, TargetGuid: $"g{i % 40:00}"), _directory.Current, Anonymous);
        }

        Assert.Equal(0, _view.ActionStateCount);
        Assert.Null(_view.LastReport);
        Assert.Equal(0, _changes);
    }

    [Fact]
    public async Task An_operator_board_keeps_nothing_for_a_guid_that_is_no_tile()
    {
        _view.Show(new Operator("anna", "Anna", "u0"));

        for (var i = 0; i < 1000; i++)
        {
            await _view.RunAsync(new OperatorAction(ActionKind.Call, TargetGuid: Guid.NewGuid().ToString()), _directory.Current, Anonymous);
        }

        Assert.Equal(0, _view.ActionStateCount);
        Assert.Null(_view.LastReport);
    }

    [Fact]
    public async Task An_operator_board_marks_at_most_a_fixed_number_of_tiles()
    {
        _view.Show(new Operator("anna", "Anna", "u0"));

        for (var i = 0; i < 1000; i++)
        {
            await _view.RunAsync(new OperatorAction(ActionKind.Call, TargetGuid: $"g{i % 40:00}"), _directory.Current, Anonymous);
            Assert.InRange(_view.ActionStateCount, 1, 16);
        }

        // The newest action's mark is among those kept.
        Assert.NotNull(_view.Marks(_directory.Current).ActionState("g39"));
    }

    [Fact]
    public void A_tiles_menu_opens_only_on_an_operators_board_for_a_tile_of_the_board_one_at_a_time()
    {
        _view.Open(ColleagueMenuKind.Presence, "g01", _directory.Current);
        Assert.Null(_view.Menu);

        _view.Show(new Operator("anna", "Anna", "u0"));
        _view.Open(ColleagueMenuKind.Presence, "no-such-tile", _directory.Current);
        Assert.Null(_view.Menu);
        _view.Open(ColleagueMenuKind.Presence, "g01", _directory.Current);
        _view.Open(ColleagueMenuKind.Presence, "g02", _directory.Current);
        Assert.Equal(new ColleagueMenu(ColleagueMenuKind.Presence, "g02"), _view.Menu);

        _view.CloseMenu();
        Assert.Null(_view.Menu);
    }

    [Fact]
    public void The_forwarding_menu_does_not_open_where_the_PBX_cannot_set_forwarding()
    {
        _view.Show(new Operator("anna", "Anna", "u0"));

        _view.Open(ColleagueMenuKind.Forwarding, "g01", _directory.Current);

        // No connection asked the PBX: nothing to offer.
        Assert.False(_view.CanSetForwarding);
        Assert.Null(_view.Menu);
    }

    private static Task<ClaimsPrincipal> Anonymous() => Task.FromResult(new ClaimsPrincipal(new ClaimsIdentity()));

    public void Dispose()
    {
        _view.Dispose();
        _services.Dispose();
    }
}
