using System.Text.Json;

namespace BlfBlazor.Pbx;

/// <summary>The user table's rows (PbxTableUsers <c>columns</c>) and the object type (<c>pseudo</c>).</summary>
internal static partial class PbxMessageReader
{
    /// <summary>Diversions kept per row; a user has a handful (one or two per kind).</summary>
    internal const int MaxDiversions = 16;

    /// <summary>PBX groups kept per row: a person is in a few; a row listing more keeps the first ones.</summary>
    internal const int MaxGroups = 32;

    /// <summary>The longest group name kept (characters); a longer one is no name the board shows.</summary>
    internal const int MaxGroupName = 64;

    /// <summary>
    /// Reads a row: the board's columns, checked like a <c>UserInfo</c>'s fields; every other column is
    /// skipped without being read into a string, so a password the PBX sends anyway is never held.
    /// </summary>
    private static TableColumns? ReadColumns(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                error ??= "a wrongly typed 'columns'";
            }

            reader.Skip();
            return null;
        }

        string? guid = null, cn = null, h323 = null, e164 = null;
        var pseudo = string.Empty;
        var hasDiversions = false;
        List<TableDiversion>? diversions = null;
        List<string>? groups = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("guid"u8))
            {
                guid = ReadColumnString(ref reader, "guid", ref error);
            }
            else if (reader.ValueTextEquals("cn"u8))
            {
                cn = ReadColumnString(ref reader, "cn", ref error);
            }
            else if (reader.ValueTextEquals("h323"u8))
            {
                h323 = ReadColumnString(ref reader, "h323", ref error);
            }
            else if (reader.ValueTextEquals("e164"u8))
            {
                e164 = ReadColumnString(ref reader, "e164", ref error);
            }
            else if (reader.ValueTextEquals("pseudo"u8))
            {
                pseudo = ReadPseudo(ref reader) ?? string.Empty;
            }
            else if (reader.ValueTextEquals("cds"u8))
            {
                hasDiversions = true;
                diversions = ReadDiversions(ref reader, ref error);
            }
            else if (reader.ValueTextEquals("grps"u8))
            {
                groups = ReadGroups(ref reader, ref error);
            }
            else
            {
                // Whatever else the PBX sends (pwd, devices, emails, …): not read, not kept.
                reader.Read();
                reader.Skip();
            }
        }

        return new TableColumns(guid, cn, h323, e164, pseudo, diversions ?? [], hasDiversions) { Groups = groups ?? [] };
    }

    /// <summary>
    /// A column's string. In a <c>ReplicateStartResult</c> a column is described by an object
    /// (<c>{}</c>, <c>{"update":true}</c>): that is no value, so it reads as none.
    /// </summary>
    private static string? ReadColumnString(ref Utf8JsonReader reader, string name, ref string? error)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            var copy = reader;
            copy.Read();
            if (copy.TokenType == JsonTokenType.StartObject)
            {
                reader.Read();
                reader.Skip();
                return null;
            }
        }

        return Empty(ReadString(ref reader, name, ref error));
    }

    /// <summary>
    /// <c>cds</c>: an array of <c>{type, e164?, h323?, bool?, bool-not?, src?}</c>. An entry of a type the
    /// board does not know, or without a destination, is left out; so is anything past <see cref="MaxDiversions"/>.
    /// </summary>
    private static List<TableDiversion>? ReadDiversions(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType is not (JsonTokenType.Null or JsonTokenType.StartObject))
            {
                error ??= "a wrongly typed 'cds'";
            }

            reader.Skip();
            return null;
        }

        List<TableDiversion>? diversions = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error ??= "a wrongly typed 'cds' entry";
                reader.Skip();
                continue;
            }

            string? type = null, e164 = null, h323 = null;
            var conditional = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadString(ref reader, "type", ref error);
                }
                else if (reader.ValueTextEquals("e164"u8))
                {
                    e164 = Empty(ReadString(ref reader, "e164", ref error));
                }
                else if (reader.ValueTextEquals("h323"u8))
                {
                    h323 = Empty(ReadString(ref reader, "h323", ref error));
                }
                else if (reader.ValueTextEquals("bool"u8) || reader.ValueTextEquals("src"u8))
                {
                    // A Boolean object or a caller filter: the entry applies only sometimes.
                    reader.Read();
                    conditional |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                    reader.Skip();
                }
                else
                {
                    // bool-not only qualifies bool; anything else is not the board's.
                    reader.Read();
                    reader.Skip();
                }
            }

            if (type is "cfu" or "cfb" or "cfnr" && (e164 is not null || h323 is not null) && (diversions?.Count ?? 0) < MaxDiversions)
            {
                (diversions ??= []).Add(new TableDiversion(type, e164, h323, conditional));
            }
        }

        return diversions;
    }

    /// <summary>
    /// <c>grps</c>: an array of <c>{name, mode?, dyn?}</c> (PBXAPIS.md §1.6). The names of the groups the user
    /// is in now: an active member (<c>mode</c> absent or <c>active</c>), static or dynamically logged in;
    /// a dynamic member with <c>dyn:"out"</c> is not in the group now. Empty or overlong names, repeats and
    /// anything past <see cref="MaxGroups"/> are left out.
    /// </summary>
    private static List<string>? ReadGroups(ref Utf8JsonReader reader, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType is not (JsonTokenType.Null or JsonTokenType.StartObject))
            {
                error ??= "a wrongly typed 'grps'";
            }

            reader.Skip();
            return null;
        }

        List<string>? groups = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error ??= "a wrongly typed 'grps' entry";
                reader.Skip();
                continue;
            }

            string? name = null, mode = null, dyn = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    name = Empty(ReadString(ref reader, "name", ref error)?.Trim());
                }
                else if (reader.ValueTextEquals("mode"u8))
                {
                    mode = ReadString(ref reader, "mode", ref error);
                }
                else if (reader.ValueTextEquals("dyn"u8))
                {
                    dyn = ReadString(ref reader, "dyn", ref error);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (name is { Length: <= MaxGroupName } && mode is null or "active" && dyn is not "out"
                && (groups?.Count ?? 0) < MaxGroups && !(groups?.Contains(name, StringComparer.OrdinalIgnoreCase) ?? false))
            {
                (groups ??= []).Add(name);
            }
        }

        return groups;
    }

    /// <summary>
    /// The object type: a word (RCC, most tables), or the config XML some Apps write into the column
    /// (<c>&lt;pseudo type="vm"&gt;…</c>), whose root's <c>type</c> is the word. Anything else: no type read.
    /// </summary>
    private static string? ReadPseudo(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxStringBytes)
        {
            reader.Skip();
            return null;
        }

        return PseudoWord(reader.GetString()!);
    }

    internal static string PseudoWord(string pseudo)
    {
        var text = pseudo.Trim();
        if (!text.StartsWith('<'))
        {
            return text.ToLowerInvariant();
        }

        // Only the root element's type attribute, read by hand: no XML parser for a PBX's string.
        var end = text.IndexOf('>', StringComparison.Ordinal);
        var root = end < 0 ? text : text[..end];
        var at = root.IndexOf("type=", StringComparison.Ordinal);
        if (at < 0 || at + 5 >= root.Length || root[at + 5] is not ('"' or '\''))
        {
            return "unknown";
        }

        var quote = root[at + 5];
        var close = root.IndexOf(quote, at + 6);
        return close < 0 ? "unknown" : root[(at + 6)..close].ToLowerInvariant();
    }
}
