using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>The JSON frames the PBX sends, as UTF-8 bytes ready for the socket.</summary>
internal static class PbxMessages
{
    // Raw UTF-8 for names like "Jürgen Müller", as a PBX writes them, instead of \u escapes.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ChallengeResult(string challenge) => Write(writer =>
    {
        writer.WriteString("mt", "AppChallengeResult");
        writer.WriteString("challenge", challenge);
    });

    public static byte[] LoginAccepted() => Write(writer =>
    {
        writer.WriteString("mt", "AppLoginResult");
        writer.WriteBoolean("ok", true);
    });

    /// <summary>A refused login: ok:false with an error code and text.</summary>
    public static byte[] LoginRefused() => Write(writer =>
    {
        writer.WriteString("mt", "AppLoginResult");
        writer.WriteBoolean("ok", false);
        writer.WriteString("error", "LoginFailed");
        writer.WriteString("errorText", "App login refused");
    });

    /// <summary>A UserInfo with the user's full state; <paramref name="update"/> null for an entry of the initial list.</summary>
    public static byte[] UserInfo(SimulatedUser user, string? update, JsonElement? src, PseudoForm pseudoForm) => Write(writer =>
    {
        WriteRccHeader(writer, "UserInfo", src);
        if (update is not null)
        {
            writer.WriteString("update", update);
        }

        writer.WriteString("guid", user.Guid);
        writer.WriteString("cn", user.Cn);
        writer.WriteString("dn", user.Dn);
        writer.WriteString("h323", user.H323);
        writer.WriteString("e164", user.E164);
        writer.WriteString("node", user.Node);
        writer.WriteString("pbx", user.Pbx);
        writer.WriteString("pseudo", TableMessages.PseudoText(user.Pseudo, inTable: false, pseudoForm));

        // Like the PBX: regs only when a phone is registered, channel/alert only when not 0.
        if (user.Registered)
        {
            writer.WriteStartArray("regs");
            writer.WriteStartObject();
            writer.WriteString("hw", SimulatedPbx.HardwareId(user));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        if (user.Channel > 0)
        {
            writer.WriteNumber("channel", user.Channel);
        }

        if (user.Alert > 0)
        {
            writer.WriteNumber("alert", user.Alert);
        }
    });

    /// <summary>The removal of a user: only the key, the least a client can be given.</summary>
    public static byte[] UserRemoved(string guid, JsonElement? src) => Write(writer =>
    {
        WriteRccHeader(writer, "UserInfo", src);
        writer.WriteString("update", "del");
        writer.WriteString("guid", guid);
    });

    public static byte[] InitializeResult(JsonElement? src) => Write(writer => WriteRccHeader(writer, "InitializeResult", src));

    /// <summary>The answer to a request this PBX does not know (UnknownMt Error): <c>&lt;mt&gt;Result</c> of the request's api, with an error.</summary>
    public static byte[] UnknownMt(string? api, string mt, JsonElement? src) => Write(writer =>
    {
        WriteHeader(writer, api, mt + "Result", src);
        writer.WriteString("error", "UnknownMessage");
        writer.WriteString("errorText", "Unknown message type " + mt);
    });

    internal static void WriteRccHeader(Utf8JsonWriter writer, string mt, JsonElement? src) =>
        WriteHeader(writer, "RCC", mt, src);

    /// <summary>Starts a frame of <paramref name="api"/> (none when null): api, mt, then the src of the request it answers or belongs to.</summary>
    internal static void WriteHeader(Utf8JsonWriter writer, string? api, string mt, JsonElement? src)
    {
        if (api is not null)
        {
            writer.WriteString("api", api);
        }

        writer.WriteString("mt", mt);
        if (src is { } tag)
        {
            writer.WritePropertyName("src");
            tag.WriteTo(writer);
        }
    }

    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
