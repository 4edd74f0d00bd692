using System.Buffers;

namespace BlfBlazor.Pbx.Connection;

/// <summary>The AppWebsocket login: <c>AppChallenge</c>, then <c>AppLogin</c> with the digest.</summary>
internal static class LoginRequests
{
    /// <summary>
    /// What innovaphone's own client library sends for an App-object login; the PBX hashes
    /// whatever it receives, so these only need to match between message and digest.
    /// </summary>
    internal const string LoginGuid = "00000000000000000000000000000000";
    internal const string LoginDn = "Admin";

    public static void WriteAppChallenge(IBufferWriter<byte> output)
    {
        using var writer = PbxRequestWriter.Open(output);
        writer.WriteStartObject();
        writer.WriteString("mt"u8, "AppChallenge"u8);
        writer.WriteEndObject();
    }

    public static void WriteAppLogin(IBufferWriter<byte> output, PbxTarget target, string challenge)
    {
        var domain = target.Domain ?? string.Empty;
        var sip = target.App;
        var digest = AppLoginDigest.Compute(target.App, domain, sip, LoginGuid, LoginDn, info: null, challenge, target.Secret);

        using var writer = PbxRequestWriter.Open(output);
        writer.WriteStartObject();
        writer.WriteString("mt"u8, "AppLogin"u8);
        writer.WriteString("app"u8, target.App);
        writer.WriteString("domain"u8, domain);
        writer.WriteString("sip"u8, sip);
        writer.WriteString("guid"u8, LoginGuid);
        writer.WriteString("dn"u8, LoginDn);
        writer.WriteString("digest"u8, digest);
        writer.WriteString("pbxObj"u8, target.App);
        writer.WriteEndObject();
    }
}
