using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// One connection's RCC: the user list, the call monitor (per user or whole PBX) and the call
/// controls. Routes an RCC message by its <c>src</c>, then its <c>mt</c>.
/// </summary>
internal sealed class RccClient(RccUserList users, IUserMonitor? calls, IReadOnlyList<IRccCallControlLink> controls, ShownObjects shown)
{
    public RccUserList Users => users;

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

            return message.Type == PbxMessageType.UserInfo && calls is not null
                ? TellMonitorAsync(message, cancellationToken)
                : ValueTask.FromResult<string?>(null);
        }

        if (!message.Type.IsCallMessage() && message.Type != PbxMessageType.ActionResult)
        {
            return ValueTask.FromResult<string?>(null);
        }

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

    private async ValueTask<string?> TellMonitorAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        await calls!.TellAsync(message, shown, cancellationToken);
        return null;
    }

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
