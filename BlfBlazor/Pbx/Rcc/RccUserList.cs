using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// One connection's RCC user list: turns its <c>UserInfo</c> and <c>InitializeResult</c> messages into
/// typed changes for the state, in arrival order (the initial list may interleave with live updates,
/// since the PBX rate-limits it). Keeps the records it has written, so the frame reader can reuse
/// their strings without ever reading the state.
/// </summary>
internal sealed class RccUserList : IKnownUserRecords
{
    private readonly IPbxStateWriter _writer;
    // A slot per listed user, overwritten by each UserInfo: a lamp change allocates nothing here, and
    // the dictionary holds references (values of a user's size would make its arrays large-object heap).
    private readonly Dictionary<string, Listed> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listed>.AlternateLookup<ReadOnlySpan<char>> _knownByGuidText;
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

    /// <summary>Applies a <c>UserInfo</c> or <c>InitializeResult</c>; returns false for other messages.</summary>
    public bool TryApply(in PbxMessage message)
    {
        if (!_begun)
        {
            return false;
        }

        switch (message.Type)
        {
            case PbxMessageType.UserInfo:
                if (message.User is not { } user)
                {
                    _known.Remove(message.Guid!);
                    _writer.Apply(UserChange.Delete(message.Guid!));
                }
                else
                {
                    if (_known.TryGetValue(user.Guid, out var listed))
                    {
                        listed.User = user;
                    }
                    else
                    {
                        _known[user.Guid] = new Listed { User = user };
                    }

                    _writer.Apply(UserChange.Upsert(user, isLive: message.IsUpdate));
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

    PbxUserInfo? IKnownUserRecords.Find(ReadOnlySpan<char> guid) =>
        _knownByGuidText.TryGetValue(guid, out var listed) ? listed.User : null;

    /// <summary>The user of this guid as the list has them, if listed.</summary>
    public PbxUserInfo? Find(string guid) => _known.TryGetValue(guid, out var listed) ? listed.User : null;

    /// <summary>The last <c>UserInfo</c> of one listed user; this list's own, never handed out.</summary>
    private sealed class Listed
    {
        public PbxUserInfo User { get; set; }
    }
}
