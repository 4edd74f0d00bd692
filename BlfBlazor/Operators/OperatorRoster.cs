using System.Security.Claims;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>
/// Says who of the signed-in people may act, and with which phone. Asked per request (page load or
/// action), never cached per circuit, so a role holder's phone follows the PBX's current user list,
/// and the roster follows the configuration as it is reloaded: an operator taken out of
/// <c>Blf:Operators</c> loses their rights without a restart.
/// </summary>
public sealed partial class OperatorRoster
{
    // Entra ID and Keycloak send "roles", others "role"; the long name is ASP.NET Core's own.
    private static readonly string[] s_roleClaims = ["roles", "role", ClaimTypes.Role];

    private readonly Func<OperatorOptions> _currentOptions;
    private readonly UserDirectory _directory;
    private readonly ILogger<OperatorRoster> _logger;
    private Listed _listed;
    private string? _invalidReload;

    internal OperatorRoster(IOptionsMonitor<OperatorOptions> options, UserDirectory directory, ILogger<OperatorRoster> logger, bool signInEnabled)
        : this(() => options.CurrentValue, directory, logger, signInEnabled)
    {
    }

    /// <summary>A roster that never changes (tests, and boards without sign-in).</summary>
    internal OperatorRoster(IOptions<OperatorOptions> options, UserDirectory directory, ILogger<OperatorRoster> logger, bool signInEnabled)
        : this(() => options.Value, directory, logger, signInEnabled)
    {
    }

    private OperatorRoster(Func<OperatorOptions> currentOptions, UserDirectory directory, ILogger<OperatorRoster> logger, bool signInEnabled)
    {
        _currentOptions = currentOptions;
        _directory = directory;
        _logger = logger;
        SignInEnabled = signInEnabled;
        _listed = new Listed(currentOptions());
    }

    /// <summary>OpenID Connect is configured: there is sign-in, and so there can be operators.</summary>
    public bool SignInEnabled { get; }

    /// <summary>The claim that names a person (<c>Blf:OperatorClaim</c>).</summary>
    public string LoginClaim => Current.Options.OperatorClaim;

    /// <summary>The roster as configured now; rebuilt when a reload brought new options.</summary>
    private Listed Current
    {
        get
        {
            var listed = Volatile.Read(ref _listed);
            OperatorOptions options;
            try
            {
                options = _currentOptions();
            }
            catch (OptionsValidationException ex)
            {
                // A reload with a mistake in it: the last valid roster stays, and the admin is told why, once.
                if (Interlocked.Exchange(ref _invalidReload, ex.Message) != ex.Message)
                {
                    Log.InvalidReload(_logger, ex.Message);
                }

                return listed;
            }

            if (!ReferenceEquals(options, listed.Options))
            {
                listed = new Listed(options);
                Volatile.Write(ref _listed, listed);
            }

            return listed;
        }
    }

    internal static bool IsSignInConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{OperatorOptions.OpenIdConnectSection}:Authority"]);

    /// <summary>The operator this user is, or null (anonymous, not an operator, or no phone found).</summary>
    public Operator? Resolve(ClaimsPrincipal user)
    {
        var roster = Current;
        if (!SignInEnabled || user.Identity?.IsAuthenticated != true || user.FindFirst(roster.Options.OperatorClaim)?.Value is not { Length: > 0 } login)
        {
            return null;
        }

        var displayName = user.FindFirst("name")?.Value is { Length: > 0 } name ? name : login;
        if (roster.Phones.TryGetValue(login, out var listed))
        {
            return new Operator(login, displayName, listed);
        }

        if (roster.Options.OperatorRole is not { Length: > 0 } role || !user.Claims.Any(c => s_roleClaims.Contains(c.Type, StringComparer.Ordinal) && string.Equals(c.Value, role, StringComparison.Ordinal)))
        {
            return null;
        }

        foreach (var pbxUser in _directory.Current.Users)
        {
            if (string.Equals(pbxUser.H323, login, StringComparison.OrdinalIgnoreCase) && pbxUser.Cn is { Length: > 0 } cn)
            {
                return new Operator(login, displayName, cn);
            }
        }

        Log.NoPhoneForRole(_logger, login, role);
        return null;
    }

    /// <summary>
    /// The PBX user a signed-in person is (My calls): by <c>Blf:PhoneClaim</c> when set, else an operator's
    /// phone, else the user whose h323 is their operator claim value. Null for anonymous viewers and people
    /// the PBX has no user for. Asked per request, like <see cref="Resolve"/>.
    /// </summary>
    public PbxUser? OwnUser(ClaimsPrincipal user)
    {
        var options = Current.Options;
        if (!SignInEnabled || user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var board = _directory.Current;
        var users = board.Users;
        if (options.PhoneClaim is { Length: > 0 } phoneClaim)
        {
            return user.FindFirst(phoneClaim)?.Value is { Length: > 0 } value
                ? users.FirstOrDefault(u => Named(u.H323, value)) ?? board.WithCn(value)
                : null;
        }

        if (Resolve(user) is { } op)
        {
            return board.WithCn(op.PhoneCn);
        }

        return user.FindFirst(options.OperatorClaim)?.Value is { Length: > 0 } login ? users.FirstOrDefault(u => Named(u.H323, login)) : null;

        static bool Named(string? name, string value) => string.Equals(name, value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One configuration of the roster: the options and the named operators' phones by login.</summary>
    private sealed class Listed(OperatorOptions options)
    {
        public OperatorOptions Options { get; } = options;

        public Dictionary<string, string> Phones { get; } = PhonesOf(options);

        private static Dictionary<string, string> PhonesOf(OperatorOptions options)
        {
            var phones = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in options.Operators)
            {
                phones[entry.User] = entry.Phone;
            }

            return phones;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "The reloaded operator settings are not valid, so the roster stays as it was: {Reason}")]
        public static partial void InvalidReload(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Login} has the operator role {Role}, but no PBX user has that h323: they see the board without acting.")]
        public static partial void NoPhoneForRole(ILogger logger, string login, string role);
    }
}
