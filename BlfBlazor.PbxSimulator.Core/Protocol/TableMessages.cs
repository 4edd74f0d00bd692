using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// The PbxTableUsers frames (PBXAPIS.md §1): the replication's start, its pages and live changes, each
/// with the src of the ReplicateStart. A row carries only the columns the session sends, and no empty ones.
/// </summary>
internal static class TableMessages
{
    /// <summary>The start of every fake password in the extra columns, so a test can look for it anywhere it must not be.</summary>
    public const string FakePasswordPrefix = "secret-pwd-";

    private const string Api = "PbxTableUsers";

    /// <summary>The columns of this PBX's user table, the sensitive ones (pwd, devices, emails) included.</summary>
    public static IReadOnlyList<string> AllColumns { get; } =
        ["guid", "cn", "dn", "h323", "e164", "node", "pseudo", "cds", "grps", "pwd", "devices", "emails"];

    /// <summary>ReplicateStartResult listing the columns the replication sends.</summary>
    public static byte[] StartResult(JsonElement? src, IEnumerable<string> columns) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "ReplicateStartResult", src);
        writer.WriteStartObject("columns");
        foreach (var column in columns)
        {
            writer.WriteStartObject(column);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    /// <summary>The answer of a PBX whose App object lacks the TableUsers right (the shape is a guess: PBXAPIS.md §1.7).</summary>
    public static byte[] Refused(JsonElement? src) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "ReplicateStartResult", src);
        writer.WriteString("error", "NotAllowed");
        writer.WriteString("errorText", "TableUsers is not granted to this App object");
    });

    /// <summary>A row: ReplicateNextResult while paging, ReplicateAdd or ReplicateUpdate live; <paramref name="row"/> from <see cref="Row(SimulatedUser, IReadOnlySet{string}, PseudoForm)"/>.</summary>
    public static byte[] Row(string mt, JsonElement? src, byte[] row) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, mt, src);
        writer.WritePropertyName("columns");
        writer.WriteRawValue(row, skipInputValidation: true);
    });

    /// <summary>The last ReplicateNextResult: no columns, or empty ones.</summary>
    public static byte[] PageEnd(JsonElement? src, TablePageEnd form) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "ReplicateNextResult", src);
        if (form == TablePageEnd.EmptyColumns)
        {
            writer.WriteStartObject("columns");
            writer.WriteEndObject();
        }
    });

    /// <summary>ReplicateDel: only the key.</summary>
    public static byte[] Deleted(JsonElement? src, string guid) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteHeader(writer, Api, "ReplicateDel", src);
        writer.WriteStartObject("columns");
        writer.WriteString("guid", guid);
        writer.WriteEndObject();
    });

    /// <summary>The user's row as a JSON object, with these of <see cref="AllColumns"/> that have a value (an empty column is left out).</summary>
    public static byte[] Row(SimulatedUser user, IReadOnlySet<string> columns, PseudoForm form) => PbxMessages.Write(writer =>
    {
        foreach (var column in AllColumns.Where(columns.Contains))
        {
            switch (column)
            {
                case "pseudo":
                    WriteText(writer, column, PseudoText(user.Pseudo, inTable: true, form));
                    break;
                case "cds" when user.Diversions.Count > 0:
                    writer.WriteStartArray(column);
                    foreach (var diversion in user.Diversions)
                    {
                        WriteDiversion(writer, diversion);
                    }

                    writer.WriteEndArray();
                    break;
                case "grps" when user.Groups.Count > 0:
                    writer.WriteStartArray(column);
                    foreach (var group in user.Groups)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", group.Name);
                        writer.WriteString("mode", group.Mode);
                        WriteText(writer, "dyn", group.Dyn);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    break;
                case "pwd":
                    writer.WriteString(column, FakePasswordPrefix + user.Guid[..Math.Min(8, user.Guid.Length)]);
                    break;
                case "devices":
                    writer.WriteStartArray(column);
                    foreach (var (hw, text) in SimulatedPbx.DevicesOf(user))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("hw", hw);
                        writer.WriteString("text", text);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    break;
                case "emails":
                    writer.WriteStartArray(column);
                    writer.WriteStartObject();
                    writer.WriteString("email", user.H323 + "@example.com");
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    break;
                default:
                    WriteText(writer, column, column switch
                    {
                        "guid" => user.Guid,
                        "cn" => user.Cn,
                        "dn" => user.Dn,
                        "h323" => user.H323,
                        "e164" => user.E164,
                        "node" => user.Node,
                        _ => null,
                    });
                    break;
            }
        }
    });

    /// <summary>
    /// An object's type as written in RCC's UserInfo or in the table: the word, or config XML with the word as
    /// its <c>type</c> (<see cref="PseudoForm.Mixed"/>: XML in the table only); "" for a person.
    /// </summary>
    public static string PseudoText(string pseudo, bool inTable, PseudoForm form) =>
        pseudo.Length > 0 && (form == PseudoForm.Xml || (form == PseudoForm.Mixed && inTable))
            ? $"<pseudo type=\"{System.Security.SecurityElement.Escape(pseudo)}\"/>"
            : pseudo;

    /// <summary>The wire word of a diversion type.</summary>
    public static string Word(DiversionType type) => type switch
    {
        DiversionType.Cfu => "cfu",
        DiversionType.Cfb => "cfb",
        _ => "cfnr",
    };

    /// <summary>The diversion type a request names; null for anything else.</summary>
    public static DiversionType? TypeOf(string? word) => word switch
    {
        "cfu" => DiversionType.Cfu,
        "cfb" => DiversionType.Cfb,
        "cfnr" => DiversionType.Cfnr,
        _ => null,
    };

    private static void WriteDiversion(Utf8JsonWriter writer, Diversion diversion)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Word(diversion.Type));
        WriteText(writer, "e164", diversion.E164);
        WriteText(writer, "h323", diversion.H323);
        WriteText(writer, "bool", diversion.Bool);
        if (diversion.IsConditional && diversion.BoolNot)
        {
            writer.WriteBoolean("bool-not", true);
        }

        writer.WriteEndObject();
    }

    /// <summary>A string property, left out when empty (as the PBX leaves empty columns out).</summary>
    private static void WriteText(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
