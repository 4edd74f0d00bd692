using System.Security.Cryptography;
using System.Text;

namespace BlfBlazor.Benchmarks.Servers;

/// <summary>The fields of an AppLogin as the direct page sends them (its digest made by the benchmark).</summary>
internal sealed record DirectLoginFields(string App, string Domain, string Sip, string Guid, string Dn, string Digest, string PbxObj);

/// <summary>
/// The login endpoint of innovaphone's tutorial, written for the benchmark (it shares no code with the
/// app): the web service knows the App object's secret and turns a challenge into AppLogin fields.
/// </summary>
internal static class DirectLogin
{
    private const string AdminGuid = "00000000000000000000000000000000";

    /// <summary>The fields innovaphone's JavaScript library sends for an App-object login, with the digest over them.</summary>
    public static DirectLoginFields Create(string app, string challenge, string secret) =>
        new(app, "", app, AdminGuid, "Admin", Digest($"{app}::{app}:{AdminGuid}:Admin:{challenge}:{secret}"), app);

    /// <summary>Lowercase hex SHA-256 over the UTF-8 bytes of app:domain:sip:guid:dn:challenge:password.</summary>
    public static string Digest(string hashedText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashedText)));

    /// <summary>Checks the digest against a public test vector (PROTOCOL.md §2) before the run relies on it.</summary>
    public static void SelfTest()
    {
        var fields = Create("rcc", "0123456789abcdef", "pwd");
        const string Expected = "86e54cee7fcd6975a18a3f013508cc82f2b2a9a88ad9c6cbbae736bd3513c3d8";
        if (fields.Digest != Expected)
        {
            throw new InvalidOperationException($"The direct page's login digest is wrong: {fields.Digest}, expected {Expected}.");
        }
    }
}
