using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// The user records a connection has already read, looked up by the guid's text before it is a string.
/// Every <c>UserInfo</c> repeats all of a user's names, so reusing the known record's strings makes a
/// lamp change cost one allocation (the new record) instead of eight.
/// </summary>
internal interface IKnownUserRecords
{
    PbxUser? Find(ReadOnlySpan<char> guid);
}
