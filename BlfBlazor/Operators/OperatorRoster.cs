using System.Security.Claims;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Operators;

/// <summary>
/// Says who of the signed-in people may act, and with which phone. Asked per request (page load or
/// action), never cached per circuit, so a role holder's phone follows the PBX's current user list.
/// </summary>
public sealed partial class OperatorRoster
{
    // Entra ID and Keycloak send "roles", others "role"; the long name is ASP.NET Core's own.
    private static readonly string[] s_roleClaims = ["roles", "role", ClaimTypes.Role];

    private readonly OperatorOptions _options;
    private readonly UserDirectory _directory;
    private readonly ILogger<OperatorRoster> _logger;
    private readonly Dictionary<string, string> _phones;

    internal OperatorRoster(IOptions<OperatorOptions> options, UserDirectory directory, ILogger<OperatorRoster> logger, bool signInEnabled)
    {
        _options = options.Value;
        _directory = directory;
        _logger = logger;
        SignInEnabled = signInEnabled;
        _phones = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in _options.Operators)
        {
            _phones[entry.User] = entry.Phone;
        }
    }

    /// <summary>OpenID Connect is configured: there is sign-in, and so there can be operators.</summary>
    public bool SignInEnabled { get; }

    /// <summary>The claim that names a person (<c>Blf:OperatorClaim</c>).</summary>
    public string LoginClaim => _options.OperatorClaim;

    internal static bool IsSignInConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{OperatorOptions.OpenIdConnectSection}:Authority"]);

    /// <summary>The operator this user is, or null (anonymous, not an operator, or no phone found).</summary>
    public Operator? Resolve(ClaimsPrincipal user)
    {
        if (!SignInEnabled || user.Identity?.IsAuthenticated != true || user.FindFirst(_options.OperatorClaim)?.Value is not { Length: > 0 } login)
        {
            return null;
        }

        var displayName = user.FindFirst("name")?.Value is { Length: > 0 } name ? name : login;
        if (_phones.TryGetValue(login, out var listed))
        {
            return new Operator(login, displayName, listed);
        }

        if (_options.OperatorRole is not { Length: > 0 } role || !user.Claims.Any(c => s_roleClaims.Contains(c.Type, StringComparer.Ordinal) && string.Equals(c.Value, role, StringComparison.Ordinal)))
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

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Login} has the operator role {Role}, but no PBX user has that h323: they see the board without acting.")]
        public static partial void NoPhoneForRole(ILogger logger, string login, string role);
    }
}
