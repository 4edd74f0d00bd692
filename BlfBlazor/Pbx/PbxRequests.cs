using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BlfBlazor.Pbx;

/// <summary>The requests the board sends to the PBX, written as UTF-8 JSON.</summary>
internal static class PbxRequests
{
    /// <summary>
    /// What innovaphone's own client library sends for an App-object login; the PBX hashes
    /// whatever it receives, so these only need to match between message and digest.
    /// </summary>
    internal const string LoginGuid = "00000000000000000000000000000000";
    internal const string LoginDn = "Admin";

    /// <summary>The correlation tag the PBX echoes on the RCC answers.</summary>
    internal const string RccSource = "blf";

    // Non-ASCII names go out as they are; the PBX hashes the decoded values either way.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteAppChallenge(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("mt"u8, "AppChallenge"u8);
        writer.WriteEndObject();
    }

    public static void WriteAppLogin(IBufferWriter<byte> output, PbxTarget target, string challenge)
    {
        var domain = target.Domain ?? string.Empty;
        var sip = target.App;
        var digest = AppLoginDigest.Compute(target.App, domain, sip, LoginGuid, LoginDn, info: null, challenge, target.Secret);

        using var writer = new Utf8JsonWriter(output, s_writerOptions);
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

    public static void WriteInitialize(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, "Initialize"u8);
        writer.WriteString("src"u8, RccSource);
        writer.WriteEndObject();
    }
}
