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

    /// <summary><c>UserCall</c> from the operator's handle to a user (by <c>cn</c>) or a number (as <c>e164</c>).</summary>
    public static void WriteUserCall(IBufferWriter<byte> output, uint user, Destination to, string src) =>
        WriteRcc(output, "UserCall"u8, src, writer =>
        {
            writer.WriteNumber("user"u8, user);
            WriteDestination(writer, to);
        });

    /// <summary><c>UserPickup</c> onto the operator's handle of what rings at <paramref name="cn"/> (<paramref name="call"/>: its leg on this socket, 0 when unknown).</summary>
    public static void WriteUserPickup(IBufferWriter<byte> output, uint user, string cn, uint call, string src) =>
        WriteRcc(output, "UserPickup"u8, src, writer =>
        {
            writer.WriteNumber("user"u8, user);
            writer.WriteString("cn"u8, cn);
            if (call != 0)
            {
                writer.WriteNumber("call"u8, call);
            }
        });

    /// <summary><c>UserRedirect</c>: ignores the target's forwarding, so the call reaches the colleague the operator chose.</summary>
    public static void WriteUserRedirect(IBufferWriter<byte> output, uint call, Destination to, string src) =>
        WriteRcc(output, "UserRedirect"u8, src, writer =>
        {
            writer.WriteNumber("call"u8, call);
            WriteDestination(writer, to);
        });

    public static void WriteUserHold(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserHold"u8, call, src);

    public static void WriteUserRetrieve(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserRetrieve"u8, call, src);

    public static void WriteUserConnect(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserConnect"u8, call, src);

    /// <summary><c>UserClear</c> with cause 16, normal call clearing.</summary>
    public static void WriteUserClear(IBufferWriter<byte> output, uint call, string src) =>
        WriteRcc(output, "UserClear"u8, src, writer =>
        {
            writer.WriteNumber("call"u8, call);
            writer.WriteNumber("cause"u8, 16);
        });

    /// <summary><c>UserTransfer</c>: joins the held caller (<paramref name="a"/>) with the colleague (<paramref name="b"/>) and leaves the operator out.</summary>
    public static void WriteUserTransfer(IBufferWriter<byte> output, uint a, uint b, string src) =>
        WriteRcc(output, "UserTransfer"u8, src, writer =>
        {
            writer.WriteNumber("a"u8, a);
            writer.WriteNumber("b"u8, b);
        });

    private static void WriteCallRequest(IBufferWriter<byte> output, ReadOnlySpan<byte> type, uint call, string src) =>
        WriteRcc(output, type, src, writer => writer.WriteNumber("call"u8, call));

    private static void WriteDestination(Utf8JsonWriter writer, Destination to)
    {
        if (to.Cn is { } cn)
        {
            writer.WriteString("cn"u8, cn);
        }
        else
        {
            writer.WriteString("e164"u8, to.Number);
        }
    }

    private static void WriteRcc(IBufferWriter<byte> output, ReadOnlySpan<byte> type, string src, Action<Utf8JsonWriter> fields)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, type);
        fields(writer);
        writer.WriteString("src"u8, src);
        writer.WriteEndObject();
    }

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
