using System.Buffers.Text;
using System.Text.Json;

namespace BlfBlazor.Pbx;

/// <summary>One endpoint of a call as the PBX describes it (<c>peer</c>, <c>no[]</c>, <c>remote</c>); fields may be empty.</summary>
internal sealed record Connector(string? Type, string? Cn, string? Dn, string? H323, string? E164);

/// <summary>
/// An RCC call message (<c>UserInitializeResult</c>, <c>CallInfo</c>, <c>CallAdd</c>, <c>CallUpdate</c>,
/// <c>CallDel</c>) or a PbxApi presence message, with the fields the board uses.
/// </summary>
internal sealed class MonitorFrame
{
    public PbxMessageType Type { get; init; }

    /// <summary>The <c>src</c> of the request that started it: the only key of a presence update.</summary>
    public string? Src { get; set; }

    public uint User { get; set; }

    public uint Call { get; set; }

    public int? State { get; set; }

    public string? Msg { get; set; }

    public bool Del { get; set; }

    /// <summary>Seconds since the call started, when the PBX says (13r3+).</summary>
    public int? Time { get; set; }

    public Connector? Peer { get; set; }

    public List<Connector>? No { get; set; }

    /// <summary><c>CallAdd</c>: the object (user) whose leg it is.</summary>
    public string? Guid { get; set; }

    /// <summary><c>CallAdd</c>: shared by the legs of one call.</summary>
    public string? ConfId { get; set; }

    /// <summary><c>CallUpdate</c>: the other end, with a normalised number.</summary>
    public Connector? Remote { get; set; }

    /// <summary><c>PresenceState</c>: false while the PBX cannot say (presence unknown).</summary>
    public bool? Up { get; set; }

    public string? Error { get; set; }

    /// <summary><c>CallInfo</c>: the text of the clearing cause in <c>info</c>, when the PBX gives one.</summary>
    public string? Cause { get; set; }

    /// <summary><c>PresenceUpdate</c>: the newest item, which the PBX says is the one to show.</summary>
    public (string Activity, string? Note)? Presence { get; set; }
}

/// <summary>
/// Reads call and presence messages strictly: typed fields, bounded strings, <c>call</c> and
/// <c>user</c> as unsigned 32-bit (numbers sent as strings accepted); unknown fields ignored.
/// </summary>
internal static class MonitorFrameReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 8 };

    public static bool TryRead(ReadOnlySpan<byte> utf8, PbxMessageType type, out MonitorFrame frame, out string? error)
    {
        frame = new MonitorFrame { Type = type };
        try
        {
            var reader = new Utf8JsonReader(utf8, s_options);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!ReadProperty(ref reader, frame, out error))
                {
                    error = $"{type} with {error}";
                    return false;
                }
            }

            error = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = $"{type} not readable ({ex.Message})";
            return false;
        }
    }

    private static bool ReadProperty(ref Utf8JsonReader reader, MonitorFrame frame, out string? error)
    {
        error = null;
        if (reader.ValueTextEquals("src"u8))
        {
            frame.Src = ReadString(ref reader, "src", ref error);
        }
        else if (reader.ValueTextEquals("user"u8))
        {
            frame.User = ReadHandle(ref reader, "user", ref error);
        }
        else if (reader.ValueTextEquals("call"u8))
        {
            frame.Call = ReadHandle(ref reader, "call", ref error);
        }
        else if (reader.ValueTextEquals("state"u8))
        {
            frame.State = (int)ReadHandle(ref reader, "state", ref error);
        }
        else if (reader.ValueTextEquals("time"u8))
        {
            frame.Time = (int)Math.Min(ReadHandle(ref reader, "time", ref error), int.MaxValue);
        }
        else if (reader.ValueTextEquals("msg"u8))
        {
            frame.Msg = ReadString(ref reader, "msg", ref error);
        }
        else if (reader.ValueTextEquals("del"u8))
        {
            reader.Read();
            frame.Del = reader.TokenType == JsonTokenType.True;
            reader.Skip();
        }
        else if (reader.ValueTextEquals("up"u8))
        {
            reader.Read();
            frame.Up = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => frame.Up,
            };
            reader.Skip();
        }
        else if (reader.ValueTextEquals("peer"u8))
        {
            frame.Peer = ReadConnector(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("remote"u8))
        {
            frame.Remote = ReadConnector(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("no"u8))
        {
            frame.No = ReadConnectors(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("info"u8))
        {
            frame.Cause = ReadCause(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("guid"u8))
        {
            frame.Guid = ReadString(ref reader, "guid", ref error);
        }
        else if (reader.ValueTextEquals("conf-id"u8))
        {
            frame.ConfId = ReadString(ref reader, "conf-id", ref error);
        }
        else if (reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("errorText"u8))
        {
            reader.Read();
            frame.Error ??= reader.TokenType switch
            {
                JsonTokenType.String => Bounded(reader.GetString()),
                JsonTokenType.Number or JsonTokenType.True => "error",
                _ => null,
            };
            reader.Skip();
        }
        else if (reader.ValueTextEquals("presence"u8))
        {
            frame.Presence = ReadPresence(ref reader, ref error);
        }
        else
        {
            // info, dtmf, local, conf, prefixes and whatever comes next: not needed on a tile.
            reader.Read();
            reader.Skip();
        }

        return error is null;
    }

    /// <summary>A string property, checked for type and size exactly as the user list's are.</summary>
    private static string? ReadString(ref Utf8JsonReader reader, string name, ref string? error)
    {
        PbxFrameReader.StringToken value = default;
        PbxFrameReader.ReadToken(ref reader, ref value, ref error, name);
        return value.ToText(previous: null);
    }

    /// <summary>A handle or count: an unsigned number, or one sent as a string (working code does both).</summary>
    private static uint ReadHandle(ref Utf8JsonReader reader, string name, ref string? error)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return value;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            error ??= $"a wrongly typed '{name}'";
        }

        reader.Skip();
        return 0;
    }

    private static Connector? ReadConnector(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        return ReadConnectorHere(ref reader, ref error);
    }

    private static Connector? ReadConnectorHere(ref Utf8JsonReader reader, ref string? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error ??= "a wrongly typed connector";
            reader.Skip();
            return null;
        }

        string? type = null, cn = null, dn = null, h323 = null, e164 = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = ReadString(ref reader, "type", ref error);
            }
            else if (reader.ValueTextEquals("cn"u8))
            {
                cn = ReadString(ref reader, "cn", ref error);
            }
            else if (reader.ValueTextEquals("dn"u8))
            {
                dn = ReadString(ref reader, "dn", ref error);
            }
            else if (reader.ValueTextEquals("h323"u8))
            {
                h323 = ReadString(ref reader, "h323", ref error);
            }
            else if (reader.ValueTextEquals("e164"u8))
            {
                e164 = ReadString(ref reader, "e164", ref error);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new Connector(Empty(type), Empty(cn), Empty(dn), Empty(h323), Empty(e164));
    }

    private static List<Connector>? ReadConnectors(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error ??= "a wrongly typed 'no'";
            reader.Skip();
            return null;
        }

        var connectors = new List<Connector>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadConnectorHere(ref reader, ref error) is { } connector && connectors.Count < 16)
            {
                connectors.Add(connector);
            }
        }

        return connectors;
    }

    /// <summary>The text of the <c>cause</c> item of a CallInfo's <c>info</c> list (why the PBX clears a call).</summary>
    private static string? ReadCause(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                error ??= "a wrongly typed 'info'";
            }

            reader.Skip();
            return null;
        }

        string? cause = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? type = null;
            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadString(ref reader, "info.type", ref error);
                }
                else if (reader.ValueTextEquals("vals"u8))
                {
                    text = ReadString(ref reader, "info.vals", ref error);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (type == "cause")
            {
                cause = Bounded(Empty(text));
            }
        }

        return cause;
    }

    /// <summary>The first (newest) item of a presence list: activity ("" = available) and note.</summary>
    private static (string, string?)? ReadPresence(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                error ??= "a wrongly typed 'presence'";
            }

            reader.Skip();
            return null;
        }

        (string, string?)? first = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error ??= "a wrongly typed presence item";
                reader.Skip();
                continue;
            }

            string? activity = null, note = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("activity"u8))
                {
                    activity = ReadString(ref reader, "activity", ref error);
                }
                else if (reader.ValueTextEquals("note"u8))
                {
                    note = ReadString(ref reader, "note", ref error);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            first ??= (activity?.Trim() ?? string.Empty, Empty(note?.Trim()));
        }

        return first;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Bounded(string? value) => value is { Length: > 200 } ? value[..200] : value;
}
