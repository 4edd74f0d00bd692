using System.Buffers.Binary;
using System.Text;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>
/// Reads the markup frames out of a Blazor Server render batch (the <c>JS.RenderBatch</c> payload), as
/// much of the format as a headless board needs: every frame a batch inserts is in its reference
/// frames, and a tile is one markup frame, so the new HTML of every changed tile is there.
/// </summary>
/// <remarks>
/// The format (the server's RenderBatchWriter): the arrays first, then a trailer of five 32-bit
/// offsets (updated components, reference frames, disposed components, disposed event handlers,
/// string table). Reference frames are a count and 20 bytes each (type, then 16 bytes whose first 4
/// are a markup frame's string index). The string table offset points at one 32-bit position per
/// string; each string is a 7-bit-encoded length and UTF-8, as BinaryWriter writes it.
/// </remarks>
internal static class RenderBatchReader
{
    private const int TrailerLength = 5 * sizeof(int);
    private const int FrameLength = 20;
    private const int MarkupFrame = 8;

    /// <summary>The content of every markup frame among the batch's reference frames, in order.</summary>
    public static IReadOnlyList<string> Markup(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < TrailerLength)
        {
            throw new FormatException($"A render batch of {batch.Length} bytes has no trailer.");
        }

        var trailer = batch.Length - TrailerLength;
        var frames = Int(batch, trailer + sizeof(int));
        var strings = Int(batch, trailer + 4 * sizeof(int));
        var count = Int(batch, frames);
        var markup = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var frame = frames + sizeof(int) + i * FrameLength;
            if (Int(batch, frame) == MarkupFrame && Int(batch, frame + sizeof(int)) is var index and >= 0)
            {
                markup.Add(String(batch, Int(batch, strings + index * sizeof(int))));
            }
        }

        return markup;
    }

    private static int Int(ReadOnlySpan<byte> batch, int at) =>
        at >= 0 && at + sizeof(int) <= batch.Length
            ? BinaryPrimitives.ReadInt32LittleEndian(batch[at..])
            : throw new FormatException($"Offset {at} lies outside the render batch of {batch.Length} bytes.");

    private static string String(ReadOnlySpan<byte> batch, int at)
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28 || at >= batch.Length)
            {
                throw new FormatException("A string length in the render batch is malformed.");
            }

            var b = batch[at++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return at + length <= batch.Length
            ? Encoding.UTF8.GetString(batch.Slice(at, length))
            : throw new FormatException("A string in the render batch runs past its end.");
    }
}

/// <summary>What a queue card's HTML says: the queue and its callers waiting (<c>data-queue-waiting</c>).</summary>
internal readonly record struct QueueMarkup(string Guid, string Waiting)
{
    /// <summary>The queue card in a markup frame, or null when the frame is no queue card.</summary>
    public static QueueMarkup? Read(string markup)
    {
        var tag = TileMarkup.FirstTag(markup);
        return TileMarkup.Attribute(tag, "data-testid") == "blf-queue" && TileMarkup.Attribute(tag, "data-guid") is { } guid && TileMarkup.Attribute(tag, "data-queue-waiting") is { } waiting
            ? new QueueMarkup(guid, waiting)
            : null;
    }
}

/// <summary>What a tile's HTML says about its user, as the board's public <c>data-*</c> contract has it.</summary>
internal readonly record struct TileMarkup(string Guid, string State, bool Stale)
{
    /// <summary>The tile in a markup frame, or null when the frame is no tile.</summary>
    public static TileMarkup? Read(string markup)
    {
        var tag = FirstTag(markup);
        return Attribute(tag, "data-guid") is { } guid && Attribute(tag, "data-state") is { } state
            ? new TileMarkup(guid, state, Attribute(tag, "data-stale") == "true")
            : null;
    }

    /// <summary>The markup up to its first element's end of tag: where that element's attributes are.</summary>
    internal static ReadOnlySpan<char> FirstTag(string markup)
    {
        var tagEnd = markup.IndexOf('>', StringComparison.Ordinal);
        return tagEnd < 0 ? markup.AsSpan() : markup.AsSpan(0, tagEnd);
    }

    internal static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        var at = tag.IndexOf($" {name}=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = tag[(at + name.Length + 3)..];
        var end = value.IndexOf('"');
        return end < 0 ? null : value[..end].ToString();
    }
}
