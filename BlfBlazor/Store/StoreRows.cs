namespace BlfBlazor.Store;

/// <summary>
/// One missed call of one user, as stored. Keyed by the user and the PBX's <c>conf</c> (shared by all
/// legs of a call and kept across reconnects), so recording it again updates rather than doubles.
/// Times are Unix milliseconds: one type both providers order and compare the same way.
/// </summary>
internal sealed class MissedCallRow
{
    public string UserGuid { get; set; } = "";

    public string CallKey { get; set; } = "";

    public long AtUnixMs { get; set; }

    public long RangMs { get; set; }

    /// <summary>An internal caller's name, within <c>Blf:CallDetails</c>.</summary>
    public string? PeerName { get; set; }

    /// <summary>An external caller's number; only ever written with <c>Blf:CallDetails=Full</c>.</summary>
    public string? PeerNumber { get; set; }

    public bool PeerInternal { get; set; }

    public string Outcome { get; set; } = "";
}

/// <summary>When a user last talked on a call: missed calls before it count as seen.</summary>
internal sealed class LastCallRow
{
    public string UserGuid { get; set; } = "";

    public long AtUnixMs { get; set; }
}

/// <summary>A user a person starred; the person is their <c>sub</c> claim, never their name.</summary>
internal sealed class FavouriteRow
{
    public string PersonKey { get; set; } = "";

    public string UserGuid { get; set; } = "";

    public long AtUnixMs { get; set; }
}

/// <summary>A view a person saved under a name: the board's URL query, written by the board.</summary>
internal sealed class SavedViewRow
{
    public string PersonKey { get; set; } = "";

    public string Name { get; set; } = "";

    public string Query { get; set; } = "";

    public long AtUnixMs { get; set; }
}

/// <summary>The view a person showed last, restored when they open the board without one.</summary>
internal sealed class LastViewRow
{
    public string PersonKey { get; set; } = "";

    public string Query { get; set; } = "";

    public long AtUnixMs { get; set; }
}
