using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// One connection's RCC: the user list, the call monitor (per user or whole PBX), the waiting queues'
/// monitors and the call controls. Routes an RCC message by its <c>src</c>, then its <c>mt</c>.
/// </summary>
internal sealed class RccClient(RccUserList users, IUserMonitor? calls, QueueCallFeed queues, IReadOnlyList<IRccCallControlLink> controls, ShownObjects shown)
{
    public RccUserList Users => users;

    public QueueCallFeed Queues => queues;

    /// <summary>The call monitor; null with <c>Pbx:CallFeed=Off</c>.</summary>
    public IUserMonitor? Calls => calls;

    /// <summary>Asks for the user list (and with it, for the whole PBX's calls), then the controls' handles.</summary>
    public async ValueTask StartAsync(bool wholePbxCalls, PbxSend send, CancellationToken cancellationToken)
    {
        users.Begin();
        await send(output => RccRequests.WriteInitialize(output, wholePbxCalls), cancellationToken);
        foreach (var control in controls)
        {
            await control.StartAsync(cancellationToken);
        }
    }

    /// <summary>Applies one RCC message; returns why it was dropped, or null.</summary>
    public ValueTask<string?> HandleAsync(in PbxMessage message, CancellationToken cancellationToken)
    {
        var wasComplete = users.IsComplete;
        if (users.TryApply(message))
        {
            if (!wasComplete && users.IsComplete)
            {
                return TellControlsLiveAsync(cancellationToken);
            }

            return message.Type == PbxMessageType.UserInfo
                ? TellMonitorsAsync(message, cancellationToken)
                : ValueTask.FromResult<string?>(null);
        }

        if (!message.Type.IsCallMessage() && message.Type != PbxMessageType.ActionResult)
        {
            return ValueTask.FromResult<string?>(null);
        }

        if (message.Type is PbxMessageType.UserInitializeResult or PbxMessageType.CallInfo && queues.Owns(message))
        {
            return ValueTask.FromResult(queues.Handle(message));
        }

        // Every other leg may be evidence for a queue's caller: an agent answering, an operator's picked call.
        queues.Observe(message, OwnerOf(message));

        // A control's own requests and handles first: their CallInfos are not the board's feed.
        if (Control(message.Src) is { } owner)
        {
            return ValueTask.FromResult(owner.TryHandle(message) ? null : $"{message.Type} nobody waits for");
        }

        if (message.Src is null && message.Type == PbxMessageType.CallInfo)
        {
            // A PBX that does not echo src: the handle says whose it is.
            foreach (var control in controls)
            {
                if (control.TryHandle(message))
                {
                    return ValueTask.FromResult<string?>(null);
                }
            }
        }

        return calls is null || message.Type == PbxMessageType.ActionResult
            ? ValueTask.FromResult<string?>($"{message.Type} nobody waits for")
            : calls.HandleAsync(message, cancellationToken);
    }

    private async ValueTask<string?> TellControlsLiveAsync(CancellationToken cancellationToken)
    {
        foreach (var control in controls)
        {
            await control.LiveAsync(cancellationToken);
        }

        return null;
    }

    private async ValueTask<string?> TellMonitorsAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        if (message.User is { } user)
        {
            await queues.ObjectListedAsync(user.Guid, user.Cn, user.DisplayName, user.E164, user.Pseudo, fromTable: false, cancellationToken);
        }
        else
        {
            await queues.ObjectGoneAsync(message.Guid!, fromTable: false, cancellationToken);
        }

        if (calls is not null)
        {
            await calls.TellAsync(message, shown, cancellationToken);
        }

        return null;
    }

    /// <summary>The listed user a call message is about: by the per-user monitor's handle, or the whole-PBX message's guid.</summary>
    private PbxUserInfo? OwnerOf(in PbxMessage message) =>
        (calls is PerUserCallFeed perUser ? perUser.GuidOf(message.UserHandle) : message.Guid) is { } guid ? users.Find(guid) : null;

    private IRccCallControlLink? Control(string? src)
    {
        if (src is null)
        {
            return null;
        }

        foreach (var control in controls)
        {
            if (control.Owns(src))
            {
                return control;
            }
        }

        return null;
    }
}
