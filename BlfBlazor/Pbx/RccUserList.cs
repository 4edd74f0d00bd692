using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// One connection's RCC user list: the initial list (which may interleave with live updates,
/// since the PBX rate-limits it), then upserts and deletes, applied to the directory in order.
/// </summary>
internal sealed class RccUserList
{
    private readonly UserDirectory _directory;

    /// <summary>Starts a new list; the directory keeps the old users, marked stale, until it completes.</summary>
    public RccUserList(UserDirectory directory)
    {
        _directory = directory;
        _directory.BeginResync();
    }

    /// <summary>True once <c>InitializeResult</c> arrived: the board is live.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>How many <c>UserInfo</c> frames arrived before <c>InitializeResult</c>.</summary>
    public int InitialCount { get; private set; }

    /// <summary>Applies a <c>UserInfo</c> or <c>InitializeResult</c>; returns false for other frames.</summary>
    public bool TryApply(in PbxFrame frame)
    {
        switch (frame.Type)
        {
            case PbxMessageType.UserInfo:
                if (frame.IsDelete)
                {
                    _directory.Remove(frame.Guid!);
                }
                else
                {
                    _directory.Upsert(frame.User!, isChange: frame.IsUpdate);
                }

                if (!IsComplete)
                {
                    InitialCount++;
                }

                return true;

            case PbxMessageType.InitializeResult when !IsComplete:
                _directory.CompleteResync();
                IsComplete = true;
                return true;

            default:
                return false;
        }
    }
}
