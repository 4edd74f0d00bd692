using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>
/// The circuit's authentication state, re-asked of the roster every <c>Blf:RightsRecheckInterval</c>:
/// when what the viewer may do changed (taken out of <c>Blf:Operators</c>, another phone, the role's
/// phone gone), the state is announced again, so the board resolves its viewer anew and drops or
/// shows its buttons without a reload. Actions never depended on this: they ask the roster each time.
/// </summary>
/// <remarks>
/// Built on <see cref="TimeProvider"/> rather than ASP.NET Core's revalidating provider (which waits
/// with <c>Task.Delay</c>), so tests step the interval instead of waiting it out.
/// </remarks>
internal sealed partial class OperatorRightsRevalidation : ServerAuthenticationStateProvider, IDisposable
{
    private readonly OperatorRoster _roster;
    private readonly ILogger<OperatorRightsRevalidation> _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private Task<AuthenticationState>? _state;
    private (bool Known, Operator? Operator) _shown;

    public OperatorRightsRevalidation(OperatorRoster roster, IOptions<OperatorOptions> options, TimeProvider timeProvider, ILogger<OperatorRightsRevalidation> logger)
    {
        _roster = roster;
        _logger = logger;
        AuthenticationStateChanged += Remember;
        var interval = options.Value.RightsRecheckInterval;
        _timer = timeProvider.CreateTimer(_ => Recheck(), null, interval, interval);
    }

    /// <summary>Asks the roster now; announces the state again when the answer changed.</summary>
    internal void Recheck()
    {
        Task<AuthenticationState> state;
        lock (_lock)
        {
            if (_state is not { IsCompletedSuccessfully: true } known)
            {
                return;
            }

            state = known;
            var now = _roster.Resolve(state.Result.User);
            if (!_shown.Known)
            {
                _shown = (true, now);
                return;
            }

            if (now == _shown.Operator)
            {
                return;
            }

            Log.RightsChanged(_logger, _shown.Operator?.Login ?? now?.Login ?? "(unknown)", _shown.Operator?.PhoneCn ?? "none", now?.PhoneCn ?? "none");
            _shown = (true, now);
        }

        // The same person, announced afresh: whoever shows their rights resolves them again.
        NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(state.Result.User)));
    }

    private void Remember(Task<AuthenticationState> state)
    {
        lock (_lock)
        {
            if (ReferenceEquals(state, _state))
            {
                return;
            }

            var samePerson = _state is { IsCompletedSuccessfully: true } previous && state.IsCompletedSuccessfully
                && ReferenceEquals(previous.Result.User, state.Result.User);
            _state = state;
            if (!samePerson)
            {
                // A new person (the circuit's first state): what they may do now is the baseline.
                _shown = state.IsCompletedSuccessfully ? (true, _roster.Resolve(state.Result.User)) : (false, null);
            }
        }
    }

    public void Dispose()
    {
        AuthenticationStateChanged -= Remember;
        _timer.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "The rights of {Login} changed while their board was open (phone {Before} → {After}): the board shows it now")]
        public static partial void RightsChanged(ILogger logger, string login, string before, string after);
    }
}
