namespace BlfBlazor.State;

/// <summary>
/// What the directory stores per user: the record boards show, and the connection generation that
/// last confirmed it. State that comes next beside the lamp (calls, presence) joins here, so a reader
/// of lamps does not pay for it.
/// </summary>
internal readonly record struct UserEntry(PbxUser User, int Generation);
