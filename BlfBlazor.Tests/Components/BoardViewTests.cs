using BlfBlazor.Components;
using BlfBlazor.Components.Board;
using BlfBlazor.State;

namespace BlfBlazor.Tests.Components;

/// <summary>The view logic behind ?q, ?state, ?sort and ?group.</summary>
[Trait("Category", "Unit")]
public class BoardViewTests
{
    private static readonly PbxUser s_anna = User("a", "Anna Berger", "101", LampState.Idle, node: "berlin", pbx: "master");
    private static readonly PbxUser s_juergen = User("j", "Jürgen Müller", "99", LampState.Busy, node: "munich", pbx: "slave");
    private static readonly PbxUser s_carla = User("c", "Carla Fuchs", "1010", LampState.Ringing, node: "berlin", pbx: "master");
    private static readonly PbxUser s_dora = User("d", "Dora Klein", null, LampState.Offline, node: "", pbx: "master");

    // The directory's order: by name.
    private static readonly PbxUser[] s_all = [s_anna, s_carla, s_dora, s_juergen];

    [Theory]
    [InlineData("jurgen", "j")]
    [InlineData("MÜLLER", "j")]
    [InlineData("101", "a,c")]
    [InlineData("klein", "d")]
    [InlineData("  anna  ", "a")]
    [InlineData("nobody", "")]
    public void Search_finds_names_and_numbers_ignoring_case_and_accents(string search, string expected)
    {
        var view = Arrange(BoardQuery.Parse(search, null, null, null));
        Assert.Equal(expected, string.Join(',', view.Single().Users.Select(u => u.Guid)));
    }

    [Fact]
    public void State_filter_shows_only_the_asked_states()
    {
        var view = Arrange(BoardQuery.Parse(null, "busy,ringing", null, null));
        Assert.Equal(["c", "j"], view.Single().Users.Select(u => u.Guid));
    }

    [Fact]
    public void Unknown_state_words_are_ignored_and_none_hides_everyone()
    {
        Assert.Equal(4, Arrange(BoardQuery.Parse(null, "purple", null, null)).Single().Users.Count);
        Assert.Empty(Arrange(BoardQuery.Parse(null, "none", null, null)).Single().Users);
    }

    [Fact]
    public void Sort_by_number_is_numeric_with_users_without_a_number_last()
    {
        var view = Arrange(BoardQuery.Parse(null, null, "number", null));
        Assert.Equal(["j", "a", "c", "d"], view.Single().Users.Select(u => u.Guid));
    }

    [Fact]
    public void Sort_by_state_puts_ringing_first_then_busy_free_offline()
    {
        var view = Arrange(BoardQuery.Parse(null, null, "state", null));
        Assert.Equal(["c", "j", "a", "d"], view.Single().Users.Select(u => u.Guid));
    }

    [Theory]
    [InlineData("node", "berlin:a,c|munich:j|Other:d")]
    [InlineData("pbx", "master:a,c,d|slave:j")]
    public void Groups_by_node_or_pbx_with_the_rest_under_other(string group, string expected)
    {
        Assert.Equal(expected, Describe(Arrange(BoardQuery.Parse(null, null, null, group))));
    }

    [Fact]
    public void Configured_groups_take_names_numbers_and_prefixes_and_may_overlap()
    {
        BoardGroup[] groups =
        [
            new() { Name = "Reception", Members = ["Anna Berger", "99"] },
            new() { Name = "Sales", Prefixes = ["10"] },
        ];

        var view = BoardView.Arrange(s_all, BoardQuery.Parse(null, null, null, "groups"), groups, "Other");

        Assert.Equal("Reception:a,j|Sales:a,c|Other:d", Describe(view));
    }

    [Fact]
    public void The_usual_view_is_the_directory_order_unchanged()
    {
        var view = Arrange(BoardQuery.Default);
        Assert.Same(s_all, view.Single().Users);
    }

    [Fact]
    public void Query_values_round_trip_through_the_url()
    {
        var query = BoardQuery.Parse("anna", "ringing,busy", "state", "node");

        Assert.Equal("busy,ringing", query.StatesValue);
        Assert.Equal("state", query.SortValue);
        Assert.Equal("node", query.GroupValue);
        Assert.Equal(query.States, BoardQuery.Parse(null, query.StatesValue, null, null).States);
        Assert.Null(BoardQuery.Default.StatesValue);
    }

    [Fact]
    public void Search_finds_the_user_talking_to_a_number_or_a_name()
    {
        var talking = User("t", "Tom Weber", "120", LampState.Busy, node: "berlin", pbx: "master") with
        {
            Activity = new UserActivity([new CallLeg(1, CallDirection.Out, CallPhase.Talking, new CallPeer(null, "0171 2345678", false), CallVia.None, null, 0)], null),
        };
        var ringing = User("r", "Rita Roth", "121", LampState.Ringing, node: "berlin", pbx: "master") with
        {
            Activity = new UserActivity([new CallLeg(2, CallDirection.In, CallPhase.Ringing, new CallPeer("Jürgen Müller", null, true), CallVia.None, null, 0)], null),
        };
        PbxUser[] users = [.. s_all, ringing, talking];

        Assert.Equal(["t"], BoardView.Arrange(users, BoardQuery.Parse("0171", null, null, null), [], "Other").Single().Users.Select(u => u.Guid));
        Assert.Equal(["j", "r"], BoardView.Arrange(users, BoardQuery.Parse("jurgen", null, null, null), [], "Other").Single().Users.Select(u => u.Guid));
    }

    [Fact]
    public void Pbx_groups_make_a_section_each_a_user_in_several_shows_in_each_and_the_rest_under_other()
    {
        var view = BoardView.Arrange(InPbxGroups(), BoardQuery.Parse(null, null, null, "pbxgroup"), [], "Other");

        Assert.Equal("reception:a,j|Sales:a,c|Other:d", Describe(view));
    }

    [Fact]
    public void Grp_shows_only_users_in_those_groups_any_case_and_groups_only_those()
    {
        Assert.Equal(":a,c", Describe(BoardView.Arrange(InPbxGroups(), BoardQuery.Parse(null, null, null, null, ["SALES"]), [], "Other")));
        Assert.Equal(":a,c,j", Describe(BoardView.Arrange(InPbxGroups(), BoardQuery.Parse(null, null, null, null, ["sales", "reception"]), [], "Other")));
        Assert.Equal("Sales:a,c", Describe(BoardView.Arrange(InPbxGroups(), BoardQuery.Parse(null, null, null, "pbxgroup", ["sales"]), [], "Other")));
        Assert.Equal(":", Describe(BoardView.Arrange(InPbxGroups(), BoardQuery.Parse(null, null, null, null, ["nobody's"]), [], "Other")));
    }

    [Fact]
    public void Without_the_user_table_pbxgroup_is_everybody_under_other()
    {
        Assert.Equal("Other:a,c,d,j", Describe(Arrange(BoardQuery.Parse(null, null, null, "pbxgroup"))));
    }

    [Fact]
    public void Grp_values_are_bounded_trimmed_distinct_and_in_one_order()
    {
        var query = BoardQuery.Parse(null, null, null, "pbxgroup", ["  sales ", "Reception", "SALES", "", null, new string('x', BoardQuery.MaxPbxGroupName + 1)]);

        Assert.Equal(["Reception", "sales"], query.PbxGroups);
        Assert.Equal("pbxgroup", query.GroupValue);
        Assert.Equal(BoardQuery.MaxPbxGroups, BoardQuery.Parse(null, null, null, null, Enumerable.Range(0, 1000).Select(i => $"g{i}")).PbxGroups.Count);
        Assert.Null(BoardQuery.Default.PbxGroupValues);
    }

    private static PbxUser[] InPbxGroups() =>
    [
        s_anna with { Groups = ["Sales", "reception"] },
        s_carla with { Groups = ["sales"] },
        s_dora,
        s_juergen with { Groups = ["reception"] },
    ];

    private static IReadOnlyList<BoardSection> Arrange(BoardQuery query) => BoardView.Arrange(s_all, query, [], "Other");

    private static string Describe(IReadOnlyList<BoardSection> sections) =>
        string.Join('|', sections.Select(s => $"{s.Title}:{string.Join(',', s.Users.Select(u => u.Guid))}"));

    private static PbxUser User(string guid, string dn, string? e164, LampState lamp, string node, string pbx) =>
        new(guid, dn.ToLowerInvariant(), dn, e164, null, node, pbx,
            RegisteredDevices: lamp == LampState.Offline ? 0 : 1,
            Channel: lamp == LampState.Busy ? 1 : 0,
            Alert: lamp == LampState.Ringing ? 1 : 0);
}
