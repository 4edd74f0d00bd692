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

    /// <param name="wholePbxCalls">Also asks for every call on the PBX (<c>calls:true</c>).</param>
    public static void WriteInitialize(IBufferWriter<byte> output, bool wholePbxCalls)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, "Initialize"u8);
        writer.WriteString("src"u8, RccSource);
        if (wholePbxCalls)
        {
            writer.WriteBoolean("calls"u8, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Starts monitoring one user's calls; the <c>CallInfo</c>s carry <paramref name="src"/>.</summary>
    public static void WriteUserInitialize(IBufferWriter<byte> output, string cn, string src) =>
        Write(output, "RCC"u8, "UserInitialize"u8, src, "cn"u8, cn);

    public static void WriteUserEnd(IBufferWriter<byte> output, uint user)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, "UserEnd"u8);
        writer.WriteNumber("user"u8, user);
        writer.WriteEndObject();
    }

    /// <summary>Subscribes one user's presence; updates carry nothing but <paramref name="src"/>.</summary>
    public static void WriteSubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        Write(output, "PbxApi"u8, "SubscribePresence"u8, src, "sip"u8, sip);

    public static void WriteUnsubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        Write(output, "PbxApi"u8, "UnsubscribePresence"u8, src, "sip"u8, sip);

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> api, ReadOnlySpan<byte> type, string src, ReadOnlySpan<byte> name, string value)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("api"u8, api);
        writer.WriteString("mt"u8, type);
        writer.WriteString(name, value);
        writer.WriteString("src"u8, src);
        writer.WriteEndObject();
    }
}
