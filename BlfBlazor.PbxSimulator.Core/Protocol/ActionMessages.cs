using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>The RCC answers to operator requests (CALLS.md §4): Devices and the Results of actions.</summary>
internal static class ActionMessages
{
    public static byte[] DevicesResult(JsonElement? src, IReadOnlyList<(string Hw, string Text)> devices) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, "DevicesResult", src);
        writer.WriteStartArray("devices");
        foreach (var (hw, text) in devices)
        {
            writer.WriteStartObject();
            writer.WriteString("hw", hw);
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>
    /// <c>&lt;mt&gt;Result</c>, with <c>call</c> when given, and <c>error</c>/<c>errorText</c> when
    /// <paramref name="errorText"/> is (the shape of RCC errors is a guess: CALLS.md §4.4).
    /// </summary>
    public static byte[] Result(string mt, JsonElement? src, int? call, string? errorText) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, mt + "Result", src);
        if (call is { } handle)
        {
            writer.WriteNumber("call", handle);
        }

        if (errorText is not null)
        {
            writer.WriteString("error", "Failed");
            writer.WriteString("errorText", errorText);
        }
    });
}
