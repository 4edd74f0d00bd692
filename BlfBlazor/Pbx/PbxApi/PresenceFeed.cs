using BlfBlazor.State;

namespace BlfBlazor.Pbx.PbxApi;

/// <summary>
/// Presence from PbxApi: a <c>SubscribePresence</c> for every user on the board (by <c>sip</c> = the
/// user's <c>h323</c>), each with a <c>src</c> of its own because updates name no user; at most
/// <see cref="MaxInFlight"/> unanswered; unsubscribed on delete. When the PBX refuses PbxApi (an error
/// answer, or silence until <c>Pbx:PresenceAnswerTimeout</c>) the board carries on without presence.
/// </summary>
internal sealed class PresenceFeed : IUserMonitor, IDisposable
{
    public const int MaxInFlight = 50;
    private const string SrcPrefix = "p:";

    private readonly IPbxStateWriter _state;
    private readonly PrivacyOptions _privacy;
    private readonly int _maxSubscriptions;
    private readonly PbxSend _send;
    private readonly ITimer _refusalTimer;
    private readonly Queue<(string Guid, string Sip)> _waiting = new();
    private readonly Dictionary<string, string> _sipByGuid = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unanswered = new(StringComparer.Ordinal);
    private readonly TimeSpan _answerTimeout;
    private volatile bool _anyAnswered;
    private volatile bool _refused;
    private string? _capped;

    public PresenceFeed(IPbxStateWriter state, PrivacyOptions privacy, int maxSubscriptions, TimeSpan answerTimeout, TimeProvider timeProvider, PbxSend send)
    {
        _state = state;
        _privacy = privacy;
        _maxSubscriptions = maxSubscriptions;
        _send = send;

        // Silence is one way a PBX says no: nothing answered by then means PbxApi is not granted.
        _refusalTimer = timeProvider.CreateTimer(_ => RefuseIfSilent(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _answerTimeout = answerTimeout;
    }

    /// <summary>Raised (on a timer thread) when silence turned into a refusal.</summary>
    public event Action? Refused;

    public bool IsRefused => _refused;

    public int Monitored => _refused ? 0 : _sipByGuid.Count - _unanswered.Count;

    public string? Problem => _refused
        ? "The PBX refused presence (PbxApi): grant the App object the PbxApi right to show presence."
        : _capped;

    public async ValueTask UserListedAsync(PbxUserInfo user, CancellationToken cancellationToken)
    {
        if (_refused || user.H323 is null || _sipByGuid.ContainsKey(user.Guid))
        {
            return;
        }

        if (_sipByGuid.Count >= _maxSubscriptions)
        {
            _capped ??= $"More users than Pbx:MaxPresenceSubscriptions ({_maxSubscriptions}): the rest show no presence.";
            return;
        }

        _sipByGuid[user.Guid] = user.H323;
        _waiting.Enqueue((user.Guid, user.H323));
        await PumpAsync(cancellationToken);
    }

    public async ValueTask UserDeletedAsync(string guid, CancellationToken cancellationToken)
    {
        if (!_sipByGuid.Remove(guid, out var sip))
        {
            return;
        }

        if (_unanswered.Remove(guid) || _refused)
        {
            return;
        }

        // The PBX probably keys subscriptions by src; send both.
        var src = SrcPrefix + guid;
        await _send(output => PbxApiRequests.WriteUnsubscribePresence(output, sip, src), cancellationToken);
    }

    public async ValueTask<string?> HandleAsync(PbxMessage frame, CancellationToken cancellationToken)
    {
        if (frame.Src is not { } src || !src.StartsWith(SrcPrefix, StringComparison.Ordinal))
        {
            return $"{frame.Type} without our src";
        }

        var guid = src[SrcPrefix.Length..];
        if (!_sipByGuid.ContainsKey(guid))
        {
            return $"{frame.Type} for a subscription we do not hold";
        }

        if (frame.Type == PbxMessageType.SubscribePresenceResult && frame.Error is not null)
        {
            Refuse();
            return null;
        }

        // Result, state and update may come in any order: whichever is first answers the request.
        if (_unanswered.Remove(guid))
        {
            _anyAnswered = true;
            await PumpAsync(cancellationToken);
        }

        if (_refused)
        {
            return null;
        }

        switch (frame.Type)
        {
            case PbxMessageType.PresenceState when frame.Up == false:
                _state.ApplyPresence(guid, null);
                break;
            case PbxMessageType.PresenceUpdate when frame.Presence is { } presence:
                var note = _privacy.Presence == PresenceDetails.NotesHidden ? null : presence.Note;
                _state.ApplyPresence(guid, new UserPresence(presence.Activity, note));
                break;
        }

        return null;
    }

    public void Dispose() => _refusalTimer.Dispose();

    private async ValueTask PumpAsync(CancellationToken cancellationToken)
    {
        while (!_refused && _unanswered.Count < MaxInFlight && _waiting.TryDequeue(out var next))
        {
            if (!_sipByGuid.ContainsKey(next.Guid))
            {
                continue; // deleted while waiting
            }

            if (!_anyAnswered && _unanswered.Count == 0)
            {
                _refusalTimer.Change(_answerTimeout, Timeout.InfiniteTimeSpan);
            }

            _unanswered.Add(next.Guid);
            var src = SrcPrefix + next.Guid;
            await _send(output => PbxApiRequests.WriteSubscribePresence(output, next.Sip, src), cancellationToken);
        }
    }

    private void RefuseIfSilent()
    {
        if (!_anyAnswered)
        {
            Refuse();
        }
    }

    private void Refuse()
    {
        if (_refused)
        {
            return;
        }

        // Called from the timer too: only the flag changes here, the loop stops pumping on its own.
        _refused = true;
        Refused?.Invoke();
    }
}
