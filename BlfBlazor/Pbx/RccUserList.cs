using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// One connection's RCC user list: turns its <c>UserInfo</c> and <c>InitializeResult</c> frames into
/// typed changes for the state, in arrival order (the initial list may interleave with live updates,
/// since the PBX rate-limits it). Keeps the records it has written, so the frame reader can reuse
/// their strings without ever reading the state.
/// </summary>
internal sealed class RccUserList : IKnownUserRecords
{
    private readonly IPbxStateWriter _writer;
    private readonly Dictionary<string, PbxUser> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PbxUser>.AlternateLookup<ReadOnlySpan<char>> _knownByGuidText;
    private bool _begun;

    public RccUserList(IPbxStateWriter writer)
    {
        _writer = writer;
        _knownByGuidText = _known.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True once <c>InitializeResult</c> arrived: the board is live.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>How many <c>UserInfo</c> frames arrived before <c>InitializeResult</c>.</summary>
    public int InitialCount { get; private set; }

    /// <summary>The login succeeded and <c>Initialize</c> is on its way: a new list starts.</summary>
    public void Begin()
    {
        _begun = true;
        _writer.BeginResync();
    }

    /// <summary>Applies a <c>UserInfo</c> or <c>InitializeResult</c>; returns false for other frames.</summary>
    public bool TryApply(in PbxFrame frame)
    {
        if (!_begun)
        {
            return false;
        }

        switch (frame.Type)
        {
            case PbxMessageType.UserInfo:
                if (frame.IsDelete)
                {
                    _known.Remove(frame.Guid!);
                    _writer.Apply(UserChange.Delete(frame.Guid!));
                }
                else
                {
                    _known[frame.User!.Guid] = frame.User;
                    _writer.Apply(UserChange.Upsert(frame.User, isLive: frame.IsUpdate));
                }

                if (!IsComplete)
                {
                    InitialCount++;
                }

                return true;

            case PbxMessageType.InitializeResult when !IsComplete:
                _writer.CompleteResync();
                IsComplete = true;
                return true;

            default:
                return false;
        }
    }

    PbxUser? IKnownUserRecords.Find(ReadOnlySpan<char> guid) =>
        _knownByGuidText.TryGetValue(guid, out var user) ? user : null;
}
