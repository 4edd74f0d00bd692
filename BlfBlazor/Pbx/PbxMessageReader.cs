using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// Reads one PBX frame, once, straight from its UTF-8 bytes into a <see cref="PbxMessage"/>. Every frame
/// is untrusted: anything that is not a well-typed JSON object is rejected with a reason, never
/// half-applied. A <c>UserInfo</c>'s fields and a call or presence message's fields are checked
/// strictly (typed, bounded strings, <c>call</c> and <c>user</c> as unsigned 32-bit, numbers sent as
/// strings accepted); unknown fields are ignored.
/// </summary>
/// <remarks>
/// Given the records already known, a <c>UserInfo</c> for a known user reuses the record's strings where
/// the frame repeats them (every <c>UserInfo</c> carries the full state, so a lamp change repeats all
/// names): reading it then allocates nothing. The user fields are therefore kept as reader positions
/// while the object is read, and turned into strings once the guid is known.
/// </remarks>
internal static partial class PbxMessageReader
{
    // The PBX sends flat objects (regs is the deepest at 3); anything much deeper is hostile.
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 8 };

    /// <summary>Names and numbers are short; a string field longer than this is hostile, not a name.</summary>
    internal const int MaxStringBytes = 1024;

    /// <summary>Connectors kept from a <c>no</c> list; a call names a handful.</summary>
    private const int MaxConnectors = 16;

    public static bool TryRead(ReadOnlySpan<byte> utf8, out PbxMessage message, out string? error) =>
        TryRead(utf8, known: null, out message, out error);

    /// <param name="known">The records this connection holds, whose strings a <c>UserInfo</c> reuses.</param>
    public static bool TryRead(ReadOnlySpan<byte> utf8, IKnownUserRecords? known, out PbxMessage message, out string? error)
    {
        try
        {
            return TryReadCore(utf8, known, out message, out error);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            message = default;
            error = $"not valid JSON ({ex.Message})";
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> utf8, IKnownUserRecords? known, out PbxMessage message, out string? error)
    {
        message = default;
        var reader = new Utf8JsonReader(utf8, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "not a JSON object";
            return false;
        }

        var type = PbxMessageType.Other;
        var hasType = false;
        PbxApiName? api = null;
        string? loginError = null;
        StringToken challenge = default, guid = default, cn = default, dn = default, e164 = default, h323 = default, node = default, pbx = default, src = default;
        bool ok = false, hasUpdate = false, isDelete = false;
        int regs = 0, channel = 0, alert = 0;

        // The first wrongly typed field of a UserInfo, and of a call or presence message: which one
        // counts is known only once mt is read, and mt may come last.
        string? badUserField = null, badMonitorField = null, badColumns = null;
        Fields fields = default;
        TableColumns? columns = null;
        string? pseudo = null;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // reader is on a property name
            if (reader.ValueTextEquals("mt"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = "mt is not a string";
                    return false;
                }

                type = ReadMessageType(ref reader);
                hasType = true;
            }
            else if (reader.ValueTextEquals("src"u8))
            {
                // Kept as a position: a user-list message does not need its src as a string.
                ReadToken(ref reader, ref src, ref badMonitorField, "src");
            }
            else if (reader.ValueTextEquals("api"u8))
            {
                reader.Read();
                api = reader.TokenType == JsonTokenType.String ? ReadApi(ref reader) : api;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("guid"u8))
            {
                string? badGuid = null;
                ReadToken(ref reader, ref guid, ref badGuid, "guid");
                badUserField ??= badGuid;
                badMonitorField ??= badGuid;
            }
            else if (reader.ValueTextEquals("cn"u8))
            {
                ReadToken(ref reader, ref cn, ref badUserField, "cn");
            }
            else if (reader.ValueTextEquals("dn"u8))
            {
                ReadToken(ref reader, ref dn, ref badUserField, "dn");
            }
            else if (reader.ValueTextEquals("e164"u8))
            {
                ReadToken(ref reader, ref e164, ref badUserField, "e164");
            }
            else if (reader.ValueTextEquals("h323"u8))
            {
                ReadToken(ref reader, ref h323, ref badUserField, "h323");
            }
            else if (reader.ValueTextEquals("node"u8))
            {
                ReadToken(ref reader, ref node, ref badUserField, "node");
            }
            else if (reader.ValueTextEquals("pbx"u8))
            {
                ReadToken(ref reader, ref pbx, ref badUserField, "pbx");
            }
            else if (reader.ValueTextEquals("regs"u8))
            {
                regs = ReadRegistrations(ref reader, ref badUserField);
            }
            else if (reader.ValueTextEquals("channel"u8))
            {
                channel = ReadCount(ref reader, ref badUserField, "channel");
            }
            else if (reader.ValueTextEquals("alert"u8))
            {
                alert = ReadCount(ref reader, ref badUserField, "alert");
            }
            else if (reader.ValueTextEquals("update"u8))
            {
                reader.Read();
                hasUpdate = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    isDelete = reader.ValueTextEquals("del"u8);
                }
                else
                {
                    badUserField ??= "a wrongly typed 'update'";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("columns"u8))
            {
                columns = ReadColumns(ref reader, ref badColumns);
            }
            else if (reader.ValueTextEquals("pseudo"u8))
            {
                // A UserInfo's object type; a ReplicateStart echo's list of types is not the board's.
                pseudo = ReadPseudo(ref reader);
            }
            else if (reader.ValueTextEquals("challenge"u8))
            {
                string? ignored = null;
                ReadToken(ref reader, ref challenge, ref ignored, "challenge");
            }
            else if (reader.ValueTextEquals("ok"u8))
            {
                reader.Read();

                // Only a literal true is a successful login; "true", 1 or a missing ok are not.
                ok = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("errorText"u8))
            {
                var isErrorText = reader.ValueTextEquals("errorText"u8);
                reader.Read();

                // A refused login says why in errorText, else error; an answer's first error wins.
                if (isErrorText || loginError is null)
                {
                    loginError = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => loginError,
                    };
                }

                // An answer's error: its errorText says most, wherever it stands; a bare error:0 is success
                // (SetPresenceResult), any other number or true an error without words.
                var answerError = reader.TokenType switch
                {
                    JsonTokenType.String => Bounded(reader.GetString()),
                    JsonTokenType.Number when reader.TryGetInt64(out var code) && code == 0 => null,
                    JsonTokenType.Number or JsonTokenType.True => "error",
                    _ => null,
                };
                fields.Error = isErrorText && answerError is not null ? answerError : fields.Error ?? answerError;

                reader.Skip();
            }
            else if (!ReadMonitorField(ref reader, ref fields, ref badMonitorField))
            {
                // Unknown properties (pseudo, dtmf, local, conf, prefixes, future ones) are ignored.
                reader.Read();
                reader.Skip();
            }
        }

        // A truncated object never reaches EndObject without the reader throwing, but be explicit.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            error = "more than one JSON value in the frame";
            return false;
        }

        if (!hasType)
        {
            error = "no mt";
            return false;
        }

        var apiName = api ?? type.Api();
        switch (type)
        {
            case PbxMessageType.UserInfo:
                if (badUserField is not null)
                {
                    error = $"UserInfo with {badUserField}";
                    return false;
                }

                if (guid.IsNullOrEmpty)
                {
                    error = "UserInfo without guid";
                    return false;
                }

                var previous = Find(known, ref guid);
                var guidText = guid.ToText(previous?.Guid)!;
                message = hasUpdate && isDelete
                    ? new PbxMessage { Type = type, Api = apiName, Guid = guidText, IsUpdate = true, IsDelete = true }
                    : new PbxMessage
                    {
                        Type = type,
                        Api = apiName,
                        Guid = guidText,
                        IsUpdate = hasUpdate,
                        User = new PbxUserInfo(
                            guidText,
                            cn.ToText(previous?.Cn),
                            dn.ToText(previous?.Dn),
                            e164.ToText(previous?.E164),
                            h323.ToText(previous?.H323),
                            node.ToText(previous?.Node),
                            pbx.ToText(previous?.Pbx),
                            regs,
                            channel,
                            alert)
                        {
                            Pseudo = pseudo,
                        },
                    };
                break;
            case PbxMessageType.ReplicateStartResult or PbxMessageType.ReplicateNextResult or PbxMessageType.ReplicateUpsert or PbxMessageType.ReplicateDel:
                if (badColumns is not null)
                {
                    error = $"{type} with {badColumns}";
                    return false;
                }

                message = new PbxMessage
                {
                    Type = type,
                    Api = apiName,
                    Src = src.ToText(previous: null),
                    Columns = columns,
                    Monitor = fields.Error is null ? null : new MonitorFields(0, 0, null, null, false, null, null, null, null, null, null, fields.Error, null, null),
                };
                break;
            case PbxMessageType.AppChallengeResult:
                if (challenge.IsNullOrEmpty)
                {
                    error = "AppChallengeResult without a challenge";
                    return false;
                }

                message = new PbxMessage { Type = type, Api = apiName, Challenge = challenge.ToText(previous: null) };
                break;
            case PbxMessageType.AppLoginResult:
                message = new PbxMessage { Type = type, Api = apiName, LoginOk = ok, LoginError = loginError };
                break;
            case var monitor when monitor.IsMonitorMessage():
                if (badMonitorField is not null)
                {
                    error = $"{type} with {badMonitorField}";
                    return false;
                }

                message = new PbxMessage
                {
                    Type = type,
                    Api = apiName,
                    Ok = ok,
                    Src = src.ToText(previous: null),
                    Guid = guid.ToText(previous: null) is { Length: > 0 } callGuid ? callGuid : null,
                    Monitor = new MonitorFields(
                        fields.User, fields.Call, fields.State, fields.Msg, fields.Del, fields.Time, fields.Peer, fields.No,
                        fields.ConfId, fields.Remote, fields.Up, fields.Error, fields.Cause, fields.Presence)
                    {
                        CauseCode = fields.CauseCode,
                    },
                };
                break;
            default:
                message = new PbxMessage { Type = type, Api = apiName };
                break;
        }

        error = null;
        return true;
    }

    /// <summary>The fields of call and presence messages, gathered while the object is read.</summary>
    private struct Fields
    {
        public uint User;
        public uint Call;
        public int? State;
        public string? Msg;
        public bool Del;
        public int? Time;
        public Connector? Peer;
        public List<Connector>? No;
        public string? ConfId;
        public Connector? Remote;
        public bool? Up;
        public string? Error;
        public string? Cause;
        public int? CauseCode;
        public (string, string?)? Presence;
    }

    /// <summary>Reads a call or presence field; false when the property is none of them.</summary>
    private static bool ReadMonitorField(ref Utf8JsonReader reader, ref Fields fields, ref string? error)
    {
        if (reader.ValueTextEquals("user"u8))
        {
            fields.User = ReadHandle(ref reader, "user", ref error);
        }
        else if (reader.ValueTextEquals("call"u8))
        {
            fields.Call = ReadHandle(ref reader, "call", ref error);
        }
        else if (reader.ValueTextEquals("state"u8))
        {
            fields.State = (int)ReadHandle(ref reader, "state", ref error);
        }
        else if (reader.ValueTextEquals("time"u8))
        {
            fields.Time = (int)Math.Min(ReadHandle(ref reader, "time", ref error), int.MaxValue);
        }
        else if (reader.ValueTextEquals("msg"u8))
        {
            fields.Msg = ReadString(ref reader, "msg", ref error);
        }
        else if (reader.ValueTextEquals("del"u8))
        {
            reader.Read();
            fields.Del = reader.TokenType == JsonTokenType.True;
            reader.Skip();
        }
        else if (reader.ValueTextEquals("up"u8))
        {
            reader.Read();
            fields.Up = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => fields.Up,
            };
            reader.Skip();
        }
        else if (reader.ValueTextEquals("peer"u8))
        {
            fields.Peer = ReadConnector(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("remote"u8))
        {
            fields.Remote = ReadConnector(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("no"u8))
        {
            fields.No = ReadConnectors(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("info"u8))
        {
            (fields.Cause, fields.CauseCode) = ReadCause(ref reader, ref error);
        }
        else if (reader.ValueTextEquals("conf-id"u8) || reader.ValueTextEquals("conf"u8))
        {
            // CallAdd names the call's id conf-id, CallInfo conf (CALLS.md §2.2, §2.7).
            fields.ConfId = ReadString(ref reader, "conf", ref error);
        }
        else if (reader.ValueTextEquals("presence"u8))
        {
            fields.Presence = ReadPresence(ref reader, ref error);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static PbxApiName ReadApi(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("RCC"u8) ? PbxApiName.Rcc
        : reader.ValueTextEquals("PbxApi"u8) ? PbxApiName.PbxApi
        : reader.ValueTextEquals("PbxTableUsers"u8) ? PbxApiName.PbxTableUsers
        : PbxApiName.Other;

    /// <summary>A string property, checked for type and size exactly as the user list's are.</summary>
    private static string? ReadString(ref Utf8JsonReader reader, string name, ref string? error)
    {
        StringToken value = default;
        ReadToken(ref reader, ref value, ref error, name);
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
            if (ReadConnectorHere(ref reader, ref error) is { } connector && connectors.Count < MaxConnectors)
            {
                connectors.Add(connector);
            }
        }

        return connectors;
    }

    /// <summary>The text of the <c>cause</c> item of a CallInfo's <c>info</c> list (why the PBX clears a call).</summary>
    private static (string? Text, int? Code) ReadCause(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                error ??= "a wrongly typed 'info'";
            }

            reader.Skip();
            return (null, null);
        }

        string? cause = null;
        int? causeCode = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? type = null;
            string? text = null;
            uint? code = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadString(ref reader, "info.type", ref error);
                }
                else if (reader.ValueTextEquals("vali"u8))
                {
                    code = ReadHandle(ref reader, "info.vali", ref error);
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
                causeCode = code is { } number and <= 127 ? (int)number : null;
            }
        }

        return (cause, causeCode);
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

    private static PbxMessageType ReadMessageType(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("UserInfo"u8) ? PbxMessageType.UserInfo
        : reader.ValueTextEquals("InitializeResult"u8) ? PbxMessageType.InitializeResult
        : reader.ValueTextEquals("AppChallengeResult"u8) ? PbxMessageType.AppChallengeResult
        : reader.ValueTextEquals("AppLoginResult"u8) ? PbxMessageType.AppLoginResult
        : reader.ValueTextEquals("CallInfo"u8) ? PbxMessageType.CallInfo
        : reader.ValueTextEquals("UserInitializeResult"u8) ? PbxMessageType.UserInitializeResult
        : reader.ValueTextEquals("CallAdd"u8) ? PbxMessageType.CallAdd
        : reader.ValueTextEquals("CallUpdate"u8) ? PbxMessageType.CallUpdate
        : reader.ValueTextEquals("CallDel"u8) || reader.ValueTextEquals("CallDelete"u8) ? PbxMessageType.CallDel
        : reader.ValueTextEquals("PresenceUpdate"u8) ? PbxMessageType.PresenceUpdate
        : reader.ValueTextEquals("PresenceState"u8) ? PbxMessageType.PresenceState
        : reader.ValueTextEquals("SubscribePresenceResult"u8) ? PbxMessageType.SubscribePresenceResult
        : reader.ValueTextEquals("ReplicateNextResult"u8) ? PbxMessageType.ReplicateNextResult
        : reader.ValueTextEquals("ReplicateUpdate"u8) || reader.ValueTextEquals("ReplicateAdd"u8) ? PbxMessageType.ReplicateUpsert
        : reader.ValueTextEquals("ReplicateDel"u8) ? PbxMessageType.ReplicateDel
        : reader.ValueTextEquals("ReplicateStartResult"u8) ? PbxMessageType.ReplicateStartResult
        : IsActionResult(ref reader) ? PbxMessageType.ActionResult
        : PbxMessageType.Other;

    private static bool IsActionResult(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("UserCallResult"u8) || reader.ValueTextEquals("UserPickupResult"u8)
        || reader.ValueTextEquals("UserRedirectResult"u8) || reader.ValueTextEquals("UserHoldResult"u8)
        || reader.ValueTextEquals("UserRetrieveResult"u8) || reader.ValueTextEquals("UserTransferResult"u8)
        || reader.ValueTextEquals("UserConnectResult"u8) || reader.ValueTextEquals("UserClearResult"u8)
        || reader.ValueTextEquals("UserRerouteResult"u8) || reader.ValueTextEquals("SetPresenceResult"u8)
        || reader.ValueTextEquals("AddDiversionResult"u8) || reader.ValueTextEquals("DelDiversionResult"u8)
        || reader.ValueTextEquals("GetDiversionResult"u8);

    /// <summary>The known record of the frame's user, if any.</summary>
    private static PbxUserInfo? Find(IKnownUserRecords? known, ref StringToken guid)
    {
        if (known is null)
        {
            return null;
        }

        if (guid.Text is { } text)
        {
            return known.Find(text);
        }

        // At most MaxStringBytes of valid UTF-8, so at most as many UTF-16 characters.
        Span<char> chars = stackalloc char[MaxStringBytes];
        var written = Encoding.UTF8.GetChars(guid.Reader.ValueSpan, chars);
        return known.Find(chars[..written]);
    }

    /// <summary>
    /// Reads a string property, checked for type and size, keeping the reader's position instead of a
    /// new string until the value is needed. Fails at the same point with the same exception as
    /// <see cref="Utf8JsonReader.GetString"/> would (text that is not UTF-8); escaped text, which the
    /// PBX seldom sends, is read at once.
    /// </summary>
    internal static void ReadToken(ref Utf8JsonReader reader, ref StringToken value, ref string? badProperty, string name)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length > MaxStringBytes)
                {
                    badProperty ??= $"an oversized '{name}' ({length} bytes)";
                    break;
                }

                if (reader.ValueIsEscaped || reader.HasValueSequence || !Utf8.IsValid(reader.ValueSpan))
                {
                    value = StringToken.OfText(reader.GetString());
                    break;
                }

                value = StringToken.OfReader(reader);
                break;
            case JsonTokenType.Null:
                value = StringToken.OfText(null);
                break;
            default:
                badProperty ??= $"a wrongly typed '{name}'";
                reader.Skip();
                break;
        }
    }

    private static int ReadCount(ref Utf8JsonReader reader, ref string? badProperty, string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count) && count >= 0)
        {
            return count;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            badProperty ??= $"a wrongly typed '{name}'";
        }

        reader.Skip();
        return 0;
    }

    private static int ReadRegistrations(ref Utf8JsonReader reader, ref string? badProperty)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            badProperty ??= "a wrongly typed 'regs'";
            reader.Skip();
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                badProperty ??= "a wrongly typed 'regs'";
            }

            count++;
            reader.Skip();
        }

        return count;
    }

    /// <summary>
    /// A string property as read: absent, null, already a string (escaped text), or
    /// the reader positioned on plain, valid UTF-8 text that becomes a string only when needed.
    /// </summary>
    internal ref struct StringToken
    {
        private bool _isReader;

        public Utf8JsonReader Reader { get; private set; }

        public string? Text { get; private set; }

        public readonly bool IsNullOrEmpty => _isReader ? Reader.ValueSpan.IsEmpty : string.IsNullOrEmpty(Text);

        public static StringToken OfReader(Utf8JsonReader reader) => new() { _isReader = true, Reader = reader };

        public static StringToken OfText(string? text) => new() { Text = text };

        /// <summary>The value; <paramref name="previous"/> itself when it has the same text.</summary>
        public readonly string? ToText(string? previous)
        {
            if (!_isReader)
            {
                return Text is not null && Text == previous ? previous : Text;
            }

            return previous is not null && SameText(Reader, previous) ? previous : Reader.GetString();
        }

        // UTF-8 never has fewer bytes than UTF-16 has characters, and as many only when it is all
        // ASCII: then a byte-to-character compare decides; otherwise the reader compares.
        private static bool SameText(in Utf8JsonReader reader, string text)
        {
            var utf8 = reader.ValueSpan;
            return utf8.Length == text.Length ? Ascii.Equals(utf8, text)
                : utf8.Length > text.Length && reader.ValueTextEquals(text);
        }
    }
}
