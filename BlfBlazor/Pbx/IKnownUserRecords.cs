using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// The user records a connection has already read, looked up by the guid's text before it is a string.
/// Every <c>UserInfo</c> repeats all of a user's names, so reusing the known record's strings makes a
/// lamp change cost no allocation in the reader.
/// </summary>
internal interface IKnownUserRecords
{
    PbxUserInfo? Find(ReadOnlySpan<char> guid);
}
