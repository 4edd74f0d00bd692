namespace BlfBlazor.State;

/// <summary>Which PBX the board shows, as people know it: a name, whether it is the demo, and the App object it logs in as.</summary>
public sealed record PbxDescription(string Name, bool IsDemo, string App = "");
