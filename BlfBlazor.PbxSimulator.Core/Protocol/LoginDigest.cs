using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// The PBX's check of an AppLogin: it rebuilds the hashed text from the fields it received
/// (app:domain:sip:guid:dn[:info]:challenge:password) rather than trusting any text from the client.
/// </summary>
internal static class LoginDigest
{
    private static readonly string[] s_hashedFields = ["app", "domain", "sip", "guid", "dn"];

    /// <summary>The text the digest is taken over; missing fields count as empty strings.</summary>
    public static string HashedText(JsonElement appLogin, string challenge, string password)
    {
        var text = new StringBuilder();
        foreach (var field in s_hashedFields)
        {
            text.Append(FieldText(appLogin, field)).Append(':');
        }

        if (appLogin.TryGetProperty("info", out var info) && info.ValueKind != JsonValueKind.Null)
        {
            CompactJson.Append(text, info);
            text.Append(':');
        }

        return text.Append(challenge).Append(':').Append(password).ToString();
    }

    /// <summary>Lowercase hex SHA-256 over the UTF-8 bytes of <see cref="HashedText"/>.</summary>
    public static string Expected(JsonElement appLogin, string challenge, string password) =>
        Hash(HashedText(appLogin, challenge, password));

    /// <summary>Lowercase hex SHA-256 over the UTF-8 bytes of <paramref name="hashedText"/>.</summary>
    public static string Hash(string hashedText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashedText)));

    /// <summary>Whether the AppLogin's "digest" is exactly the expected lowercase hex (compared in constant time).</summary>
    public static bool Matches(JsonElement appLogin, string challenge, string password)
    {
        var expected = Encoding.ASCII.GetBytes(Expected(appLogin, challenge, password));
        var received = appLogin.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String
            ? Encoding.UTF8.GetBytes(digest.GetString()!)
            : [];
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    private static string FieldText(JsonElement appLogin, string name)
    {
        if (!appLogin.TryGetProperty(name, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            _ => value.GetRawText(),
        };
    }
}
