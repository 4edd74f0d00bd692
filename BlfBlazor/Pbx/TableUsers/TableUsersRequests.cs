using System.Buffers;

namespace BlfBlazor.Pbx.TableUsers;

/// <summary>The PbxTableUsers requests the board sends: it only ever reads the table, never writes a row.</summary>
internal static class TableUsersRequests
{
    /// <summary>Every request and answer of the replication carries this <c>src</c>.</summary>
    public const string Src = "tu";

    /// <summary>
    /// The columns the board uses, and nothing else: never <c>pwd</c>, devices, e-mails or forks
    /// (the table has them; asking for them would put them on this socket).
    /// </summary>
    private static readonly string[] s_columns = ["guid", "cn", "h323", "e164", "pseudo", "cds", "grps"];

    /// <summary><c>ReplicateStart</c> for plain users and the object types in <paramref name="types"/>.</summary>
    public static void WriteReplicateStart(IBufferWriter<byte> output, IEnumerable<string> types) =>
        PbxRequestWriter.Write(output, "PbxTableUsers"u8, "ReplicateStart"u8, Src, writer =>
        {
            writer.WriteBoolean("add"u8, true);
            writer.WriteBoolean("del"u8, true);
            writer.WriteStartObject("columns"u8);
            foreach (var column in s_columns)
            {
                writer.WriteStartObject(column);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("pseudo"u8);
            foreach (var type in types)
            {
                writer.WriteStringValue(type);
            }

            writer.WriteEndArray();
        });

    /// <summary><c>ReplicateNext</c>: the next row of the initial table.</summary>
    public static void WriteReplicateNext(IBufferWriter<byte> output) =>
        PbxRequestWriter.Write(output, "PbxTableUsers"u8, "ReplicateNext"u8, Src, static _ => { });
}
