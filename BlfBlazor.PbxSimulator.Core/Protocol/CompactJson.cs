using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// Writes a received JSON value back as compact text, the way a PBX re-serialises the AppLogin
/// "info" object before hashing it: members in the order received, no whitespace, strings
/// escaped only where JSON requires it (quote, backslash, control characters). Escapes the
/// client used needlessly (e.g. \u00fc) are therefore NOT preserved: a client must hash the
/// minimal form, which is what it sends when it avoids needless escaping.
/// </summary>
internal static class CompactJson
{
    public static void Append(StringBuilder target, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                target.Append('{');
                var firstMember = true;
                foreach (var member in value.EnumerateObject())
                {
                    if (!firstMember)
                    {
                        target.Append(',');
                    }

                    firstMember = false;
                    AppendString(target, member.Name);
                    target.Append(':');
                    Append(target, member.Value);
                }

                target.Append('}');
                break;
            case JsonValueKind.Array:
                target.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        target.Append(',');
                    }

                    firstItem = false;
                    Append(target, item);
                }

                target.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(target, value.GetString()!);
                break;
            case JsonValueKind.Number:
                // Numbers keep their received spelling; there is nothing to escape in them.
                target.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                target.Append("true");
                break;
            case JsonValueKind.False:
                target.Append("false");
                break;
            default:
                target.Append("null");
                break;
        }
    }

    /// <summary>Appends <paramref name="text"/> as a JSON string literal, escaped only where JSON requires it.</summary>
    public static void AppendString(StringBuilder target, string text)
    {
        target.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    target.Append("\\\"");
                    break;
                case '\\':
                    target.Append("\\\\");
                    break;
                case '\b':
                    target.Append("\\b");
                    break;
                case '\f':
                    target.Append("\\f");
                    break;
                case '\n':
                    target.Append("\\n");
                    break;
                case '\r':
                    target.Append("\\r");
                    break;
                case '\t':
                    target.Append("\\t");
                    break;
                case < ' ':
                    target.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    target.Append(c);
                    break;
            }
        }

        target.Append('"');
    }
}
