using BlfBlazor.State;

namespace BlfBlazor.Tests.State;

/// <summary>
/// The board order after every kind of change, in the order users are shown (not just the set):
/// hand-written orders, and a long random sequence compared with the rule sorted out by LINQ.
/// </summary>
[Trait("Category", "Unit")]
public class BoardOrderTests
{
    private readonly BoardOrder _order = new(BoardOrder.CompareForBoard);
    private readonly Dictionary<string, PbxUser> _users = new(StringComparer.Ordinal);

    [Fact]
    public void Renames_and_inserts_in_the_middle_land_where_the_name_belongs()
    {
        Upsert("a", "Anna Berger", "101");
        Upsert("c", "Clara Dorn", "103");
        Upsert("e", "Emil Frank", "105");
        Assert.Equal(["Anna Berger", "Clara Dorn", "Emil Frank"], Names());

        Upsert("b", "Bernd Adler", "102");
        Upsert("d", "Dora Klein", "104");
        Assert.Equal(["Anna Berger", "Bernd Adler", "Clara Dorn", "Dora Klein", "Emil Frank"], Names());

        // Clara now goes by "Zoë Dorn"; Emil becomes "Ähm Emil" (sorts with A, culture-aware).
        Upsert("c", "Zoë Dorn", "103");
        Upsert("e", "Ähm Emil", "105");
        Assert.Equal(["Ähm Emil", "Anna Berger", "Bernd Adler", "Dora Klein", "Zoë Dorn"], Names());
        AssertOrderedByTheRule();
    }

    [Fact]
    public void A_lamp_change_keeps_the_place_and_shows_the_new_record()
    {
        Upsert("a", "Anna Berger", "101");
        Upsert("b", "Bernd Adler", "102");
        Build();

        var busy = Upsert("a", "Anna Berger", "101", channel: 1);

        var order = Build();
        Assert.Same(busy, order[0]);
        Assert.Equal(LampState.Busy, order[0].Lamp);
    }

    [Fact]
    public void Same_names_are_ordered_by_number_then_guid()
    {
        Upsert("z", "Max Mustermann", "200");
        Upsert("y", "Max Mustermann", "100");
        Upsert("x", "Max Mustermann", "100");

        Assert.Equal(["x", "y", "z"], Build().Select(u => u.Guid));
    }

    [Fact]
    public void Removals_between_reads_leave_the_rest_in_order()
    {
        foreach (var (guid, name) in new[] { ("a", "Anna"), ("b", "Bernd"), ("c", "Clara"), ("d", "Dora") })
        {
            Upsert(guid, name, "1");
        }

        Build();
        Remove("b");
        Upsert("bb", "Bea", "2");
        Remove("d");

        Assert.Equal(["Anna", "Bea", "Clara"], Names());
    }

    [Fact]
    public void Names_sort_as_people_read_them_whatever_their_case_and_accents()
    {
        Upsert("1", "Zoe", "1");
        Upsert("2", "Øster", "2");
        Upsert("3", "bernd", "3");
        Upsert("4", "Ärger", "4");
        Upsert("5", "Çelik", "5");
        Upsert("6", "Anna", "6");
        Upsert("7", "Ølaf", "7");
        Upsert("8", "Bernd", "8");

        // Case and accents do not move a name to the end: "bernd" stands with "Bernd" (then by number).
        Assert.Equal(["Anna", "Ärger", "bernd", "Bernd", "Çelik", "Ølaf", "Øster", "Zoe"], Names());
    }

    [Fact]
    public void A_long_random_sequence_always_matches_the_rule_sorted_out_afresh()
    {
        var random = new Random(11);
        string[] names = ["Anna", "Ärger", "Bernd", "bernd", "Çelik", "Zoe", "Øster", "Jürgen Müller", "Ølaf", "anna"];
        for (var step = 0; step < 2_000; step++)
        {
            var guid = $"g{random.Next(60)}";
            switch (random.Next(10))
            {
                case 0:
                    Remove(guid);
                    break;
                case < 4:
                    Upsert(guid, names[random.Next(names.Length)], random.Next(300).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    // A lamp change: same names, new record.
                    if (_users.TryGetValue(guid, out var known))
                    {
                        Upsert(guid, known.Dn!, known.E164!, channel: random.Next(2));
                    }

                    break;
            }

            if (random.Next(5) == 0)
            {
                AssertOrderedByTheRule();
            }
        }

        AssertOrderedByTheRule();
    }

    private PbxUser Upsert(string guid, string name, string number, int channel = 0)
    {
        var user = new PbxUser(guid, null, name, number, null, null, null, 1, channel, 0);
        _order.Upserted(_users.GetValueOrDefault(guid), user);
        _users[guid] = user;
        return user;
    }

    private void Remove(string guid)
    {
        if (_users.Remove(guid))
        {
            _order.Removed(guid);
        }
    }

    private PbxUser[] Build() => _order.Build(_users);

    private IEnumerable<string> Names() => Build().Select(u => u.DisplayName);

    /// <summary>
    /// The rule as the board states it, sorted from scratch without BoardOrder: display name as people
    /// read it (culture-aware, case ignored), then extension, then guid.
    /// </summary>
    private void AssertOrderedByTheRule()
    {
        var expected = _users.Values
            .OrderBy(u => u.DisplayName, StringComparer.InvariantCultureIgnoreCase)
            .ThenBy(u => u.E164, StringComparer.Ordinal)
            .ThenBy(u => u.Guid, StringComparer.Ordinal)
            .Select(u => (u.Guid, u.DisplayName, u.E164, u.Channel));
        Assert.Equal(expected, Build().Select(u => (u.Guid, u.DisplayName, u.E164, u.Channel)));
    }
}
