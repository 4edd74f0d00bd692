namespace BlfBlazor.State;

/// <summary>
/// What the directory stores per user: the record boards show, and the connection generation that
/// last confirmed it. State that comes next beside the lamp (calls, presence) joins here, so a reader
/// of lamps does not pay for it.
/// </summary>
/// <param name="Hidden">An object that is no person (a queue, a trunk, …) and not named in <c>Blf:ShowObjects</c>: kept, so its type may still change, but on no board.</param>
internal readonly record struct UserEntry(PbxUser User, int Generation, bool Hidden = false);
