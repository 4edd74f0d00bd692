using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>The PbxApi answers about call diversions and the notification that came with them (PBXAPIS.md §3.2, §3.3, 14r1 and later).</summary>
internal static class DiversionMessages
{
    private const string Api = "PbxApi";

    /// <summary>AddDiversionResult / DelDiversionResult: <c>ok</c> says whether the diversion could be set or deleted.</summary>
    public static byte[] Result(string mt, JsonElement? src, bool ok) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, mt + "Result", src);
        writer.WriteBoolean("ok", ok);
    });

    /// <summary><c>AppNotifyResult</c>, with <c>error:"not found"</c> when the PBX has no such user.</summary>
    public static byte[] AppNotifyResult(JsonElement? src, bool found) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "AppNotifyResult", src);
        if (!found)
        {
            writer.WriteString("error", "not found");
        }
    });

    /// <summary>GetDiversionResult: the destination's <c>num</c> and <c>sip</c> when a diversion of the type is set, else neither.</summary>
    public static byte[] GetResult(JsonElement? src, Diversion? diversion) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "GetDiversionResult", src);
        if (!string.IsNullOrEmpty(diversion?.E164))
        {
            writer.WriteString("num", diversion.E164);
        }

        if (!string.IsNullOrEmpty(diversion?.H323))
        {
            writer.WriteString("sip", diversion.H323);
        }
    });
}
