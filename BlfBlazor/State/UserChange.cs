namespace BlfBlazor.State;

/// <summary>One user's change as the PBX reported it: a new record, or the user's removal.</summary>
/// <param name="Guid">The user's key.</param>
/// <param name="User">The whole new record; null when the user was deleted.</param>
/// <param name="IsLive">
/// True for a change that happened now (an RCC <c>update</c>), whose time is the lamp's start; false for
/// an initial-list entry, whose state may be much older.
/// </param>
internal readonly record struct UserChange(string Guid, PbxUserInfo? User, bool IsLive)
{
    public static UserChange Upsert(in PbxUserInfo user, bool isLive) => new(user.Guid, user, isLive);

    public static UserChange Delete(string guid) => new(guid, null, IsLive: true);

    public bool IsDelete => User is null;
}
