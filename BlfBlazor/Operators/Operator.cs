namespace BlfBlazor.Operators;

/// <summary>A signed-in person allowed to act from the board, and the PBX user (phone) they act with.</summary>
public sealed record Operator(string Login, string DisplayName, string PhoneCn);
