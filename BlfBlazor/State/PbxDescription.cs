namespace BlfBlazor.State;

/// <summary>Which PBX the board shows, as people know it: a name, and whether it is the demo.</summary>
public sealed record PbxDescription(string Name, bool IsDemo);
