namespace BlfBlazor.State;

/// <summary>Which PBX the board shows, as people know it: a name, whether it is the demo, and the App object it logs in as.</summary>
/// <param name="Unencrypted">
/// The link to the PBX (or its standby) is <c>ws://</c>: the App secret's digest, every name and number go over the
/// network in clear. Shown on <c>/healthz</c> so a monitor can flag it.
/// </param>
public sealed record PbxDescription(string Name, bool IsDemo, string App = "", bool Unencrypted = false);
