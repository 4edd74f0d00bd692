using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>The PbxApi presence frames (CALLS.md §3, PBXAPIS.md §3.1); each carries the src of its subscription or request, never a user.</summary>
internal static class PresenceMessages
{
    private const string Api = "PbxApi";

    public static byte[] SubscribeResult(JsonElement? src) => PbxMessages.Write(writer =>
        PbxMessages.WriteHeader(writer, Api, "SubscribePresenceResult", src));

    public static byte[] UnsubscribeResult(JsonElement? src) => PbxMessages.Write(writer =>
        PbxMessages.WriteHeader(writer, Api, "UnsubscribePresenceResult", src));

    /// <summary>The answer of a PBX whose App object lacks the PbxApi right (the shape is a guess: CALLS.md §3.4).</summary>
    public static byte[] Refused(string mt, JsonElement? src) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, mt + "Result", src);
        writer.WriteString("error", "NotAllowed");
        writer.WriteString("errorText", "PbxApi is not granted to this App object");
    });

    /// <summary>SetPresenceResult: success without <c>error</c> or with <c>error:0</c>; a failure with its number and text.</summary>
    public static byte[] SetPresenceResult(JsonElement? src, int? error, string? errorText) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "SetPresenceResult", src);
        if (error is { } code)
        {
            writer.WriteNumber("error", code);
        }

        if (errorText is not null)
        {
            writer.WriteString("errorText", errorText);
        }
    });

    /// <summary>PresenceState for a known user, or for an unknown sip (then only the sip, and up:false).</summary>
    public static byte[] State(JsonElement? src, SimulatedUser? user, string sip, bool up) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "PresenceState", src);
        writer.WriteBoolean("up", up);
        writer.WriteString("sip", user?.H323 ?? sip);
        writer.WriteString("num", user?.E164 ?? "");
        writer.WriteString("dn", user is null ? "" : user.Dn.Length > 0 ? user.Dn : user.Cn);
        writer.WriteString("email", user is null ? "" : user.H323 + "@example.com");
    });

    /// <summary>The full list, newest first: what the user set ("tel:"), then the PBX's own item ("im:", myApps online or not).</summary>
    public static byte[] Update(JsonElement? src, UserPresence presence, bool online) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "PresenceUpdate", src);
        writer.WriteStartArray("presence");
        WriteItem(writer, "tel:", "open", presence.Activity, presence.Note);
        WriteItem(writer, "im:", online ? "open" : "closed", "", "");
        writer.WriteEndArray();
    });

    private static void WriteItem(Utf8JsonWriter writer, string contact, string status, string activity, string note)
    {
        writer.WriteStartObject();
        writer.WriteString("contact", contact);
        writer.WriteString("status", status);
        writer.WriteString("activity", activity);
        writer.WriteString("note", note);
        writer.WriteEndObject();
    }
}
