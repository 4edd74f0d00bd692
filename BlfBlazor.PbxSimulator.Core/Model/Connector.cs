namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>An endpoint of a call as RCC describes one (<c>peer</c>, an entry of <c>no</c>): a user, or an outside number.</summary>
internal sealed record Connector(string Cn, string Dn, string H323, string E164)
{
    public static Connector Of(SimulatedUser user) => new(user.Cn, user.Dn, user.H323, user.E164);

    public static Connector Outside(string number) => new("", "", "", number);

    public bool IsInternal => Cn.Length > 0;

    /// <summary>The peer as a board shows it: an internal party's display name (dn, else cn), an outside party's number (e164, else h323).</summary>
    public string Shown => IsInternal ? (Dn.Length > 0 ? Dn : Cn) : (E164.Length > 0 ? E164 : H323);
}

/// <summary>An entry of a leg's <c>no</c> list: a further endpoint and its role (<c>ct</c>, <c>picking</c>, <c>leg2</c>…).</summary>
internal sealed record RelatedParty(string Type, Connector? Party);
