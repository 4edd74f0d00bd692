using System.Globalization;
using System.Text.Json;
using BlfBlazor.Components;
using BlfBlazor.Components.Board;
using BlfBlazor.State;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Components;

/// <summary>
/// The delta protocol: what a view's move from one version to the next sends to its pages. Each test
/// applies the delta to the previous full list the way a page does (<see cref="Page"/>) and expects
/// exactly the next full list.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BoardDeltaTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;
    private readonly BoardArrangements _arrangements;

    public BoardDeltaTests()
    {
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        var groups = new BoardOptions
        {
            Groups =
            [
                new BoardGroup { Name = "Sales", Prefixes = ["1g01", "1g02"] },
                new BoardGroup { Name = "Desk", Members = ["User 015", "User 025", "User 005"] },
            ],
        };
        _arrangements = new BoardArrangements(new LampTile(), Options.Create(groups));
    }

    private IPbxStateWriter State => _directory;

    [Fact]
    public void A_lamp_change_sends_that_one_tile_and_the_new_counts()
    {
        GoLive(Many(40));
        var view = View(BoardQuery.Default);
        var before = view.For(_directory.Current);

        State.Apply(UserChange.Upsert(User(7, channel: 1), isLive: true));
        var after = view.For(_directory.Current);
        using var delta = JsonDocument.Parse(Single(after.PayloadSince(before.Version)));
        var root = delta.RootElement;

        Assert.False(root.TryGetProperty("full", out _));
        Assert.Equal(before.Version, root.GetProperty("from").GetInt64());
        Assert.Equal(after.Version, root.GetProperty("version").GetInt64());
        var section = root.GetProperty("sections").EnumerateArray().Single();
        var changed = section.GetProperty("changed").EnumerateArray().Single();
        Assert.Equal("g007", changed.GetProperty("key").GetString());
        Assert.Contains("data-state=\"busy\"", changed.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Empty(section.GetProperty("removed").EnumerateArray());
        Assert.Empty(section.GetProperty("placed").EnumerateArray());
        var counts = root.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        Assert.Equal(1, counts[(int)LampState.Busy]);
        Assert.Equal(39, counts[(int)LampState.Idle]);

        // The header's words come along, so the page sets them without a render of the board.
        Assert.Equal(["1 busy", "0 ringing", "39 free", "0 offline"], root.GetProperty("countTexts").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("shownText").ValueKind);
        Page.AssertBrings(before, after);
    }

    [Fact]
    public void Users_inserted_and_removed_are_sent_by_key_with_their_place()
    {
        GoLive(Many(40));
        var view = View(BoardQuery.Default);
        var before = view.For(_directory.Current);

        State.Apply(UserChange.Upsert(User("new", "User 010a"), isLive: true));
        State.Apply(UserChange.Delete("g020"));
        var after = view.For(_directory.Current);
        using var delta = JsonDocument.Parse(Single(after.PayloadSince(before.Version)));
        var section = delta.RootElement.GetProperty("sections")[0];

        Assert.Equal(["g020"], section.GetProperty("removed").EnumerateArray().Select(k => k.GetString()));
        var placed = section.GetProperty("placed").EnumerateArray().Single();
        Assert.Equal(("new", "g011"), (placed.GetProperty("key").GetString(), placed.GetProperty("before").GetString()));
        Assert.Contains("data-guid=\"new\"", placed.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Empty(section.GetProperty("changed").EnumerateArray());
        Page.AssertBrings(before, after);
    }

    [Fact]
    public void A_tile_that_moves_is_sent_without_its_html_and_the_others_stay()
    {
        GoLive(Many(40));
        var view = View(BoardQuery.Parse(null, null, "state", null));
        var before = view.For(_directory.Current);

        // Ringing sorts first: one tile moves to the front and changes; nothing else is sent.
        State.Apply(UserChange.Upsert(User(30, alert: 1), isLive: true));
        var after = view.For(_directory.Current);
        using var delta = JsonDocument.Parse(Single(after.PayloadSince(before.Version)));
        var section = delta.RootElement.GetProperty("sections")[0];

        var placed = section.GetProperty("placed").EnumerateArray().Single();
        Assert.Equal(("g030", "g000"), (placed.GetProperty("key").GetString(), placed.GetProperty("before").GetString()));
        Assert.False(placed.TryGetProperty("html", out _));
        Assert.Equal(["g030"], section.GetProperty("changed").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Page.AssertBrings(before, after);
    }

    [Fact]
    public void A_board_a_few_versions_behind_gets_each_delta_in_order_and_one_further_behind_the_full_list()
    {
        GoLive(Many(20));
        var view = View(BoardQuery.Default);
        var versions = new List<BoardArrangement> { view.For(_directory.Current) };
        for (var i = 0; i < BoardArrangement.ChainLength + 2; i++)
        {
            State.Apply(UserChange.Upsert(User(i, channel: 1), isLive: true));
            versions.Add(view.For(_directory.Current));
        }

        var last = versions[^1];
        Assert.Equal(3, last.PayloadSince(versions[^4].Version).Length);
        Page.AssertBrings(versions[^4], last);
        Assert.Equal(BoardArrangement.ChainLength, last.PayloadSince(versions[^(BoardArrangement.ChainLength + 1)].Version).Length);
        Page.AssertBrings(versions[^(BoardArrangement.ChainLength + 1)], last);

        // Further behind than the chain, or showing nothing yet: the full list, one payload.
        Assert.Same(last.FullPayload, Single(last.PayloadSince(versions[^(BoardArrangement.ChainLength + 2)].Version)));
        Assert.Same(last.FullPayload, Single(last.PayloadSince(null)));
        Assert.Same(last.FullPayload, Single(last.PayloadSince(-1)));
        Page.AssertBrings(versions[0], last);

        // A page that shows this version already (it adopted its prerendered tiles) gets nothing but the header.
        using var unchanged = JsonDocument.Parse(Single(last.PayloadSince(last.Version)));
        var section = unchanged.RootElement.GetProperty("sections")[0];
        Assert.Equal(last.Version, unchanged.RootElement.GetProperty("from").GetInt64());
        Assert.Empty(section.GetProperty("changed").EnumerateArray());
        Assert.Empty(section.GetProperty("placed").EnumerateArray());
    }

    [Fact]
    public void A_filtered_view_says_how_many_it_shows_of_how_many()
    {
        GoLive(Many(20));
        var view = View(BoardQuery.Parse(null, "busy", null, null));
        State.Apply(UserChange.Upsert(User(3, channel: 1), isLive: true));

        using var full = JsonDocument.Parse(view.For(_directory.Current).FullPayload);
        Assert.Equal("1 of 20 shown", full.RootElement.GetProperty("shownText").GetString());
    }

    [Fact]
    public void Every_board_of_a_view_is_given_the_same_bytes()
    {
        GoLive(Many(20));
        var first = View(BoardQuery.Default);
        var second = View(BoardQuery.Parse(null, "idle,busy,ringing,offline", "name", null));
        var before = first.For(_directory.Current);
        State.Apply(UserChange.Upsert(User(3, channel: 1), isLive: true));

        Assert.Same(Single(first.For(_directory.Current).PayloadSince(before.Version)), Single(second.For(_directory.Current).PayloadSince(before.Version)));
    }

    [Fact]
    public void Losing_the_pbx_and_coming_back_sends_the_staleness_once_and_no_tile_twice()
    {
        GoLive(Many(30));
        var view = View(BoardQuery.Default);
        var live = view.For(_directory.Current);

        State.ConnectionLost("gone");
        var stale = view.For(_directory.Current);
        using (var delta = JsonDocument.Parse(Single(stale.PayloadSince(live.Version))))
        {
            Assert.True(delta.RootElement.GetProperty("stale").GetBoolean());
            Assert.Empty(delta.RootElement.GetProperty("sections")[0].GetProperty("changed").EnumerateArray());
        }

        // The resync brings every user again, one of them changed: only that one is sent.
        State.BeginResync();
        foreach (var user in Many(30).Select((u, i) => i == 12 ? u with { Channel = 1 } : u))
        {
            State.Apply(UserChange.Upsert(user, isLive: false));
        }

        State.CompleteResync();
        var back = view.For(_directory.Current);
        using (var delta = JsonDocument.Parse(Single(back.PayloadSince(stale.Version))))
        {
            Assert.False(delta.RootElement.GetProperty("stale").GetBoolean());
            Assert.Equal(["g012"], delta.RootElement.GetProperty("sections")[0].GetProperty("changed").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        }

        Page.AssertBrings(live, stale);
        Page.AssertBrings(stale, back);
    }

    [Fact]
    public void A_heading_that_comes_or_goes_sends_the_full_list()
    {
        GoLive(Many(20, node: i => i < 10 ? "berlin" : "munich"));
        var view = View(BoardQuery.Parse(null, null, null, "node"));
        var before = view.For(_directory.Current);

        State.Apply(UserChange.Upsert(User(5, node: "hamburg"), isLive: true));
        var after = view.For(_directory.Current);

        Assert.Same(after.FullPayload, Single(after.PayloadSince(before.Version)));
        Page.AssertBrings(before, after);
    }

    [Theory]
    [InlineData(null, null, null, null, "en", false)]
    [InlineData("User 0", null, null, null, "en", false)]
    [InlineData(null, "busy,ringing", null, null, "en", false)]
    [InlineData(null, null, "number", null, "en", false)]
    [InlineData(null, null, "state", null, "de", false)]
    [InlineData(null, "idle,busy", "state", "node", "en", false)]
    [InlineData(null, null, null, "groups", "en", false)]
    [InlineData("1", null, "state", "pbx", "de", false)]
    [InlineData(null, null, "state", null, "en", true)]
    [InlineData(null, null, null, "groups", "de", true)]
    public void After_many_random_changes_every_delta_brings_a_page_to_the_next_full_list(string? search, string? states, string? sort, string? group, string language, bool withActions)
    {
        var random = new Random(21);
        GoLive(Many(60, node: i => i % 3 == 0 ? "berlin" : "munich"));
        var view = _arrangements.Take(BoardQuery.Parse(search, states, sort, group), CultureInfo.GetCultureInfo(language), withActions);
        var shown = view.For(_directory.Current);
        var page = Page.From(shown.FullPayload);
        var deltas = 0;

        for (var step = 0; step < 300; step++)
        {
            var n = random.Next(70);
            switch (random.Next(10))
            {
                case 0:
                    State.Apply(UserChange.Delete($"g{n:000}"));
                    break;
                case 1:
                    State.ConnectionLost("gone");
                    break;
                case 2:
                    State.BeginResync();
                    State.CompleteResync();
                    break;
                default:
                    State.Apply(UserChange.Upsert(User(n, node: random.Next(2) == 0 ? "berlin" : "munich", channel: random.Next(2), alert: random.Next(4) == 0 ? 1 : 0), isLive: true));
                    break;
            }

            var next = view.For(_directory.Current);
            // A page that is not woken for every version (a slow board) skips some, as boards do.
            if (random.Next(4) == 0 && step < 299)
            {
                continue;
            }

            var payloads = next.PayloadSince(page.Version);
            deltas += ReferenceEquals(payloads.Span[0], next.FullPayload) ? 0 : 1;
            page.Apply(payloads);
            Assert.Equal(Page.From(next.FullPayload).Describe(), page.Describe());
        }

        // Mostly deltas: a full list only where a heading came or went.
        Assert.True(deltas > 120, $"{deltas} changes were sent as deltas");
    }

    /// <summary>The one payload of a change that needs one (the same version, one step, or the full list).</summary>
    private static byte[] Single(ReadOnlyMemory<byte[]> payloads) => Assert.Single(payloads.ToArray());

    private BoardArrangements.SharedView View(BoardQuery query) => _arrangements.Take(query, CultureInfo.GetCultureInfo("en"), withActions: false);

    private void GoLive(params PbxUserInfo[] users)
    {
        State.BeginResync();
        foreach (var user in users)
        {
            State.Apply(UserChange.Upsert(user, isLive: false));
        }

        State.CompleteResync();
    }

    private static PbxUserInfo[] Many(int count, Func<int, string>? node = null) =>
        [.. Enumerable.Range(0, count).Select(i => User(i, node: node?.Invoke(i) ?? "root"))];

    private static PbxUserInfo User(int i, string node = "root", int channel = 0, int alert = 0) =>
        User($"g{i:000}", $"User {i:000}", node, channel, alert);

    private static PbxUserInfo User(string guid, string dn, string node = "root", int channel = 0, int alert = 0) =>
        new(guid, dn.ToLowerInvariant(), dn, $"1{guid}", null, node, "master", 1, channel, alert);

    /// <summary>A page's tile list as the protocol describes it, and the apply step the page runs.</summary>
    private sealed class Page
    {
        private List<(string? Title, List<(string Key, string Html)> Tiles)> _sections = [];

        public long Version { get; private set; }

        public bool Stale { get; private set; }

        public int[] Counts { get; private set; } = [];

        public static Page From(byte[] full)
        {
            var page = new Page();
            page.Apply(full);
            return page;
        }

        public static void AssertBrings(BoardArrangement before, BoardArrangement after)
        {
            var page = From(before.FullPayload);
            page.Apply(after.PayloadSince(before.Version));
            Assert.Equal(From(after.FullPayload).Describe(), page.Describe());
        }

        /// <summary>One change's payloads, in order.</summary>
        public void Apply(ReadOnlyMemory<byte[]> payloads)
        {
            foreach (var payload in payloads.Span)
            {
                Apply(payload);
            }
        }

        public void Apply(byte[] payload)
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var sections = root.GetProperty("sections").EnumerateArray().ToList();
            if (root.TryGetProperty("full", out _))
            {
                _sections = [.. sections.Select(s => (s.GetProperty("title").GetString(), s.GetProperty("tiles").EnumerateArray().Select(Tile).ToList()))];
            }
            else
            {
                Assert.Equal(Version, root.GetProperty("from").GetInt64());
                Assert.Equal(_sections.Count, sections.Count);
                for (var s = 0; s < sections.Count; s++)
                {
                    ApplySection(_sections[s].Tiles, sections[s]);
                    Assert.Equal(sections[s].GetProperty("count").GetInt32(), _sections[s].Tiles.Count);
                }
            }

            Version = root.GetProperty("version").GetInt64();
            Stale = root.GetProperty("stale").GetBoolean();
            Counts = [.. root.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32())];
        }

        /// <summary>The page with staleness drawn into each tile, as the page's own marking does.</summary>
        public string Describe() =>
            $"v{Version} stale={Stale} counts={string.Join(',', Counts)}\n" + string.Join("\n", _sections.Select(s =>
                $"[{s.Title}]\n" + string.Join("\n", s.Tiles.Select(t => $"{t.Key}: {Unstale(t.Html)}"))));

        private static (string, string) Tile(JsonElement tile) => (tile.GetProperty("key").GetString()!, tile.GetProperty("html").GetString()!);

        private static void ApplySection(List<(string Key, string Html)> tiles, JsonElement section)
        {
            foreach (var removed in section.GetProperty("removed").EnumerateArray())
            {
                Assert.Equal(1, tiles.RemoveAll(t => t.Key == removed.GetString()));
            }

            foreach (var changed in section.GetProperty("changed").EnumerateArray())
            {
                var at = tiles.FindIndex(t => t.Key == changed.GetProperty("key").GetString());
                Assert.True(at >= 0);
                tiles[at] = Tile(changed);
            }

            foreach (var placed in section.GetProperty("placed").EnumerateArray())
            {
                var key = placed.GetProperty("key").GetString()!;
                var at = tiles.FindIndex(t => t.Key == key);
                string html;
                if (placed.TryGetProperty("html", out var inserted))
                {
                    Assert.Equal(-1, at);
                    html = inserted.GetString()!;
                }
                else
                {
                    Assert.True(at >= 0);
                    html = tiles[at].Html;
                    tiles.RemoveAt(at);
                }

                var before = placed.GetProperty("before").GetString();
                var to = before is null ? tiles.Count : tiles.FindIndex(t => t.Key == before);
                Assert.True(to >= 0);
                tiles.Insert(to, (key, html));
            }
        }

        // What the page's staleness marking adds and removes, so tiles compare the same either way.
        private static string Unstale(string html) =>
            html.Replace(" data-stale=\"true\"", "", StringComparison.Ordinal)
                .Replace($" {LampTile.StaleNoteId}\"", "\"", StringComparison.Ordinal)
                .Replace($" aria-describedby=\"{LampTile.StaleNoteId}\"", "", StringComparison.Ordinal);
    }
}
