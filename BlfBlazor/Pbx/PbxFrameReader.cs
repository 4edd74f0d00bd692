using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// Reads one PBX frame straight from its UTF-8 bytes. Every frame is untrusted: anything that is
/// not a well-typed JSON object is rejected with a reason, never half-applied.
/// </summary>
/// <remarks>
/// Given the records already known, a <c>UserInfo</c> for a known user reuses the record's strings where
/// the frame repeats them (every <c>UserInfo</c> carries the full state, so a lamp change repeats all
/// names): the new record is then the only allocation. The user fields are therefore kept as reader
/// positions while the object is read, and turned into strings once the guid is known.
/// </remarks>
internal static class PbxFrameReader
{
    // The PBX sends flat objects (regs is the deepest at 3); anything much deeper is hostile.
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 8 };

    /// <summary>Names and numbers are short; a string field longer than this is hostile, not a name.</summary>
    internal const int MaxStringBytes = 1024;

    public static bool TryRead(ReadOnlySpan<byte> utf8, out PbxFrame frame, out string? error) =>
        TryRead(utf8, known: null, out frame, out error);

    /// <param name="known">The records this connection holds, whose strings a <c>UserInfo</c> reuses.</param>
    public static bool TryRead(ReadOnlySpan<byte> utf8, IKnownUserRecords? known, out PbxFrame frame, out string? error)
    {
        frame = default;
        try
        {
            return TryReadCore(utf8, known, out frame, out error);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON ({ex.Message})";
            return false;
        }
        catch (InvalidOperationException ex)
        {
            error = $"not valid JSON ({ex.Message})";
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> utf8, IKnownUserRecords? known, out PbxFrame frame, out string? error)
    {
        frame = default;
        var reader = new Utf8JsonReader(utf8, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "not a JSON object";
            return false;
        }

        var type = PbxMessageType.Other;
        var hasType = false;
        string? loginError = null;
        StringToken challenge = default, guid = default, cn = default, dn = default, e164 = default, h323 = default, node = default, pbx = default;
        bool ok = false, hasUpdate = false, isDelete = false;
        int regs = 0, channel = 0, alert = 0;
        string? badProperty = null;

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
            else if (reader.ValueTextEquals("guid"u8))
            {
                ReadToken(ref reader, ref guid, ref badProperty, "guid");
            }
            else if (reader.ValueTextEquals("cn"u8))
            {
                ReadToken(ref reader, ref cn, ref badProperty, "cn");
            }
            else if (reader.ValueTextEquals("dn"u8))
            {
                ReadToken(ref reader, ref dn, ref badProperty, "dn");
            }
            else if (reader.ValueTextEquals("e164"u8))
            {
                ReadToken(ref reader, ref e164, ref badProperty, "e164");
            }
            else if (reader.ValueTextEquals("h323"u8))
            {
                ReadToken(ref reader, ref h323, ref badProperty, "h323");
            }
            else if (reader.ValueTextEquals("node"u8))
            {
                ReadToken(ref reader, ref node, ref badProperty, "node");
            }
            else if (reader.ValueTextEquals("pbx"u8))
            {
                ReadToken(ref reader, ref pbx, ref badProperty, "pbx");
            }
            else if (reader.ValueTextEquals("regs"u8))
            {
                regs = ReadRegistrations(ref reader, ref badProperty);
            }
            else if (reader.ValueTextEquals("channel"u8))
            {
                channel = ReadCount(ref reader, ref badProperty, "channel");
            }
            else if (reader.ValueTextEquals("alert"u8))
            {
                alert = ReadCount(ref reader, ref badProperty, "alert");
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
                    badProperty ??= "a wrongly typed 'update'";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("challenge"u8))
            {
                ReadToken(ref reader, ref challenge, ref badProperty, "challenge");
            }
            else if (reader.ValueTextEquals("ok"u8))
            {
                reader.Read();

                // Only a literal true is a successful login; "true", 1 or a missing ok are not.
                ok = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("errorText"u8) || (loginError is null && reader.ValueTextEquals("error"u8)))
            {
                reader.Read();
                loginError = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => loginError,
                };
                reader.Skip();
            }
            else
            {
                // Unknown properties (src, api, pseudo, future ones) are ignored.
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

        switch (type)
        {
            case PbxMessageType.UserInfo:
                if (badProperty is not null)
                {
                    error = $"UserInfo with {badProperty}";
                    return false;
                }

                if (guid.IsNullOrEmpty)
                {
                    error = "UserInfo without guid";
                    return false;
                }

                var previous = Find(known, ref guid);
                var guidText = guid.ToText(previous?.Guid)!;
                frame = hasUpdate && isDelete
                    ? new PbxFrame(type, Guid: guidText, IsDelete: true)
                    : new PbxFrame(type, Guid: guidText, IsUpdate: hasUpdate, User: new PbxUser(
                        guidText,
                        cn.ToText(previous?.Cn),
                        dn.ToText(previous?.Dn),
                        e164.ToText(previous?.E164),
                        h323.ToText(previous?.H323),
                        node.ToText(previous?.Node),
                        pbx.ToText(previous?.Pbx),
                        regs,
                        channel,
                        alert));
                break;
            case PbxMessageType.AppChallengeResult:
                if (challenge.IsNullOrEmpty)
                {
                    error = "AppChallengeResult without a challenge";
                    return false;
                }

                frame = new PbxFrame(type, Challenge: challenge.ToText(previous: null));
                break;
            case PbxMessageType.AppLoginResult:
                frame = new PbxFrame(type, LoginOk: ok, LoginError: loginError);
                break;
            default:
                frame = new PbxFrame(type);
                break;
        }

        error = null;
        return true;
    }

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
        : IsActionResult(ref reader) ? PbxMessageType.ActionResult
        : PbxMessageType.Other;

    private static bool IsActionResult(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("UserCallResult"u8) || reader.ValueTextEquals("UserPickupResult"u8)
        || reader.ValueTextEquals("UserRedirectResult"u8) || reader.ValueTextEquals("UserHoldResult"u8)
        || reader.ValueTextEquals("UserRetrieveResult"u8) || reader.ValueTextEquals("UserTransferResult"u8)
        || reader.ValueTextEquals("UserConnectResult"u8) || reader.ValueTextEquals("UserClearResult"u8);

    /// <summary>The known record of the frame's user, if any.</summary>
    private static PbxUser? Find(IKnownUserRecords? known, ref StringToken guid)
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
