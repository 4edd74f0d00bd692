namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// What a session needs from the simulator's settings: the App object's name and password (the login
/// check) and the pace of the initial user list (at most <paramref name="InitialBatchSize"/> users per
/// <paramref name="InitialBatchInterval"/>).
/// </summary>
internal sealed record SessionSettings(string App, string Secret, int InitialBatchSize, TimeSpan InitialBatchInterval);
