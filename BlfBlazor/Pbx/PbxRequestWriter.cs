using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BlfBlazor.Pbx;

/// <summary>How every request to the PBX is written: UTF-8 JSON, <c>api</c> and <c>mt</c> first, <c>src</c> last.</summary>
internal static class PbxRequestWriter
{
    // Non-ASCII names go out as they are; the PBX hashes the decoded values either way.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Open(IBufferWriter<byte> output) => new(output, s_writerOptions);

    /// <summary>A request of <paramref name="api"/> with the fields <paramref name="fields"/> writes, then <c>src</c>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> api, ReadOnlySpan<byte> type, string src, Action<Utf8JsonWriter> fields)
    {
        using var writer = Open(output);
        writer.WriteStartObject();
        writer.WriteString("api"u8, api);
        writer.WriteString("mt"u8, type);
        fields(writer);
        writer.WriteString("src"u8, src);
        writer.WriteEndObject();
    }

    /// <summary>A request of <paramref name="api"/> with one string field and <c>src</c>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> api, ReadOnlySpan<byte> type, string src, ReadOnlySpan<byte> name, string value)
    {
        using var writer = Open(output);
        writer.WriteStartObject();
        writer.WriteString("api"u8, api);
        writer.WriteString("mt"u8, type);
        writer.WriteString(name, value);
        writer.WriteString("src"u8, src);
        writer.WriteEndObject();
    }
}
