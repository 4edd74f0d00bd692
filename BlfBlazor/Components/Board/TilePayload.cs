using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlfBlazor.Components.Board;

/// <summary>
/// One of a view's shared payloads (<see cref="BoardDelta"/>'s UTF-8 JSON) as an argument of the page's
/// <c>blfBoard.applyTiles</c>: written into the call's arguments as it is, so the page receives it parsed.
/// </summary>
/// <remarks>
/// Why not a byte array: Blazor sends a byte-array argument as a message of its own ahead of the call,
/// which made every change two messages (and two socket writes) per board; raw JSON makes it one. The
/// bytes were written by our own serialiser, so they are not validated again per board.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly record struct TilePayload(byte[] Utf8Json)
{
    private sealed class Converter : JsonConverter<TilePayload>
    {
        public override TilePayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Tile payloads are only sent to the page.");

        public override void Write(Utf8JsonWriter writer, TilePayload value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8Json, skipInputValidation: true);
    }
}
