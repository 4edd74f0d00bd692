using System.Security.Cryptography;
using System.Text;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// The AppLogin digest: lowercase hex SHA-256 of
/// <c>app:domain:sip:guid:dn[:info]:challenge:password</c> over UTF-8.
/// </summary>
public static class AppLoginDigest
{
    /// <param name="info">The <c>info</c> object exactly as sent (compact JSON), or null when none is sent.</param>
    public static string Compute(string app, string domain, string sip, string guid, string dn, string? info, string challenge, string password)
    {
        var text = info is null
            ? string.Join(':', app, domain, sip, guid, dn, challenge, password)
            : string.Join(':', app, domain, sip, guid, dn, info, challenge, password);

        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        finally
        {
            // The hashed text contains the secret: do not leave it lying in memory longer than needed.
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
