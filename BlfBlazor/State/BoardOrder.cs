using System.Diagnostics;

namespace BlfBlazor.State;

/// <summary>
/// The users in board order, rebuilt cheaply when read: the directory reports every change, and the
/// next read patches the previous order where only records changed (a lamp change keeps the user's
/// place: the order depends on name, number and guid alone), merges added or renamed users in by
/// binary search, and sorts everything only the first time or after very many changes. Sorting
/// compares names culture-aware, which costs far more than patching, and a busy PBX changes lamps
/// many times a second while every open board reads the order.
/// Not thread-safe: the directory's snapshot builder calls it under its own lock.
/// </summary>
internal sealed class BoardOrder(Comparison<PbxUser> compare)
{
    private static readonly StringComparer s_nameOrder = StringComparer.InvariantCultureIgnoreCase;

    // The order as last built. It is published in a snapshot, so it is never changed afterwards.
    private PbxUser[] _order = [];

    // Where each user stands in _order; rebuilt only when a patch needs it after the order moved.
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private bool _positionsCurrent = true;

    // Since the last build: users whose place may have changed (added, removed, renamed), and users
    // whose record changed but not their place.
    private readonly HashSet<string> _moved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _replaced = new(StringComparer.Ordinal);
    private bool _sortAll = true;

    /// <summary>A user was added (<paramref name="previous"/> null) or its record replaced.</summary>
    public void Upserted(PbxUser? previous, PbxUser user)
    {
        if (_sortAll)
        {
            return;
        }

        if (previous is not null && string.Equals(previous.DisplayName, user.DisplayName, StringComparison.Ordinal)
            && string.Equals(previous.E164, user.E164, StringComparison.Ordinal))
        {
            if (!_moved.Contains(user.Guid))
            {
                _replaced.Add(user.Guid);
            }
        }
        else
        {
            Moved(user.Guid);
        }
    }

    /// <summary>Everything may have changed: the next build sorts all users.</summary>
    public void SortAll()
    {
        _moved.Clear();
        _replaced.Clear();
        _sortAll = true;
    }

    public void Removed(string guid)
    {
        if (!_sortAll)
        {
            Moved(guid);
        }
    }

    /// <summary>The current order of <paramref name="users"/>; the previous array when nothing moved or changed.</summary>
    public PbxUser[] Build(Dictionary<string, PbxUser> users)
    {
        if (_sortAll)
        {
            var all = new PbxUser[users.Count];
            var i = 0;
            foreach (var user in users.Values)
            {
                all[i++] = user;
            }

            Array.Sort(all, compare);
            return Published(all, moved: true);
        }

        if (_moved.Count > 0)
        {
            return Published(Merge(users), moved: true);
        }

        if (_replaced.Count > 0)
        {
            UpdatePositions();
            var patched = (PbxUser[])_order.Clone();
            foreach (var guid in _replaced)
            {
                patched[_positions[guid]] = users[guid];
            }

            return Published(patched, moved: false);
        }

        return _order;
    }

    /// <summary>
    /// The previous order without the moved users and with the replaced records, and the moved users
    /// that are still there inserted where they belong. The previous order is sorted by the keys its
    /// records had, and a moved user's old record is dropped anyway, so it can be searched as it is.
    /// </summary>
    private PbxUser[] Merge(Dictionary<string, PbxUser> users)
    {
        var arrivals = new List<PbxUser>(_moved.Count);
        foreach (var guid in _moved)
        {
            if (users.TryGetValue(guid, out var user))
            {
                arrivals.Add(user);
            }
        }

        arrivals.Sort(compare);

        // What happens to each previous position: kept as it is, dropped (moved), or replaced.
        UpdatePositions();
        var fate = new byte[_order.Length];
        foreach (var guid in _moved)
        {
            if (_positions.TryGetValue(guid, out var at))
            {
                fate[at] = Dropped;
            }
        }

        foreach (var guid in _replaced)
        {
            fate[_positions[guid]] = Replaced;
        }

        var result = new PbxUser[users.Count];
        var count = 0;
        var from = 0;
        foreach (var arrival in arrivals)
        {
            var at = FirstAfter(arrival, from);
            Copy(from, at);
            result[count++] = arrival;
            from = at;
        }

        Copy(from, _order.Length);
        if (count != result.Length)
        {
            // Cannot happen while every change is reported; if it did, sorting everything is still right.
            Debug.Fail("The board order lost track of its users.");
            _sortAll = true;
            return Build(users);
        }

        return result;

        void Copy(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                switch (fate[i])
                {
                    case Kept:
                        result[count++] = _order[i];
                        break;
                    case Replaced:
                        result[count++] = users[_order[i].Guid];
                        break;
                }
            }
        }
    }

    /// <summary>The first position from <paramref name="from"/> on whose user sorts after <paramref name="user"/>.</summary>
    private int FirstAfter(PbxUser user, int from)
    {
        int low = from, high = _order.Length;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (compare(_order[middle], user) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private PbxUser[] Published(PbxUser[] order, bool moved)
    {
        _order = order;
        _positionsCurrent &= !moved;
        _moved.Clear();
        _replaced.Clear();
        _sortAll = false;
        return order;
    }

    private void UpdatePositions()
    {
        if (_positionsCurrent)
        {
            return;
        }

        _positions.Clear();
        for (var i = 0; i < _order.Length; i++)
        {
            _positions[_order[i].Guid] = i;
        }

        _positionsCurrent = true;
    }

    private void Moved(string guid)
    {
        _replaced.Remove(guid);
        _moved.Add(guid);

        // Nobody read the order for a long time while users came and went: sorting once is cheaper
        // than remembering every guid (and a stream of new guids must not grow memory unbounded).
        if (_moved.Count > 2 * _order.Length + 1024)
        {
            _moved.Clear();
            _replaced.Clear();
            _sortAll = true;
        }
    }

    /// <summary>The board's order: display name as people read it, then extension, then guid (so it is total and stable).</summary>
    public static int CompareForBoard(PbxUser a, PbxUser b)
    {
        var byName = s_nameOrder.Compare(a.DisplayName, b.DisplayName);
        if (byName != 0)
        {
            return byName;
        }

        var byNumber = string.CompareOrdinal(a.E164, b.E164);
        return byNumber != 0 ? byNumber : string.CompareOrdinal(a.Guid, b.Guid);
    }

    private const byte Kept = 0;
    private const byte Dropped = 1;
    private const byte Replaced = 2;
}
