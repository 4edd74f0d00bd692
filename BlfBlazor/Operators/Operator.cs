namespace BlfBlazor.Operators;

/// <summary>A signed-in person who may act from the board, and the PBX phone (user <c>cn</c>) they act with.</summary>
/// <param name="Login">The value of the operator claim (<c>Blf:OperatorClaim</c>), by default their <c>sub</c>.</param>
/// <param name="DisplayName">The <c>name</c> claim, else the login.</param>
/// <param name="PhoneCn">The PBX user whose phone places and takes the operator's calls.</param>
public sealed record Operator(string Login, string DisplayName, string PhoneCn);
