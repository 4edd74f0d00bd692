using System.Buffers;
using System.Text.Json;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>Whom a call-control request reaches: a board user by <c>cn</c>, or a number as dialled.</summary>
internal sealed record Destination(string? Cn, string? Number)
{
    public static Destination User(string cn) => new(cn, null);

    public static Destination Dial(string number) => new(null, number);

    public override string ToString() => Cn ?? Number ?? string.Empty;
}

/// <summary>The RCC requests the board sends: the user list, call monitors and call control.</summary>
internal static class RccRequests
{
    /// <summary>The correlation tag of the user list: the PBX echoes it on <c>UserInfo</c> and the whole-PBX call messages.</summary>
    internal const string ListSource = "blf";

    /// <param name="wholePbxCalls">Also asks for every call on the PBX (<c>calls:true</c>).</param>
    public static void WriteInitialize(IBufferWriter<byte> output, bool wholePbxCalls)
    {
        using var writer = PbxRequestWriter.Open(output);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, "Initialize"u8);
        writer.WriteString("src"u8, ListSource);
        if (wholePbxCalls)
        {
            writer.WriteBoolean("calls"u8, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Starts monitoring one user's calls; the <c>CallInfo</c>s carry <paramref name="src"/>.</summary>
    public static void WriteUserInitialize(IBufferWriter<byte> output, string cn, string src) =>
        PbxRequestWriter.Write(output, "RCC"u8, "UserInitialize"u8, src, "cn"u8, cn);

    public static void WriteUserEnd(IBufferWriter<byte> output, uint user)
    {
        using var writer = PbxRequestWriter.Open(output);
        writer.WriteStartObject();
        writer.WriteString("api"u8, "RCC"u8);
        writer.WriteString("mt"u8, "UserEnd"u8);
        writer.WriteNumber("user"u8, user);
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>UserCall</c> from the operator's handle to a user (by <c>cn</c>) or a number (as <c>e164</c>);
    /// <paramref name="pastForwarding"/> adds <c>ftyNoCF</c>, which overrides the destination's forwarding (rings the desk).
    /// </summary>
    public static void WriteUserCall(IBufferWriter<byte> output, uint user, Destination to, string src, bool pastForwarding = false) =>
        Write(output, "UserCall"u8, src, writer =>
        {
            writer.WriteNumber("user"u8, user);
            WriteDestination(writer, to);
            if (pastForwarding)
            {
                writer.WriteBoolean("ftyNoCF"u8, true);
            }
        });

    /// <summary><c>UserPickup</c> onto the operator's handle of what rings at <paramref name="cn"/> (<paramref name="call"/>: its leg on this socket, 0 when unknown).</summary>
    public static void WriteUserPickup(IBufferWriter<byte> output, uint user, string cn, uint call, string src) =>
        Write(output, "UserPickup"u8, src, writer =>
        {
            writer.WriteNumber("user"u8, user);
            writer.WriteString("cn"u8, cn);
            if (call != 0)
            {
                writer.WriteNumber("call"u8, call);
            }
        });

    /// <summary><c>UserReroute</c>: moves the call on as any call to the target goes, obeying the target's forwarding.</summary>
    public static void WriteUserReroute(IBufferWriter<byte> output, uint call, Destination to, string src) =>
        WriteMoveCall(output, "UserReroute"u8, call, to, src);

    /// <summary><c>UserRedirect</c>: ignores the target's forwarding, so the call rings the very phone the operator chose.</summary>
    public static void WriteUserRedirect(IBufferWriter<byte> output, uint call, Destination to, string src) =>
        WriteMoveCall(output, "UserRedirect"u8, call, to, src);

    public static void WriteUserHold(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserHold"u8, call, src);

    public static void WriteUserRetrieve(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserRetrieve"u8, call, src);

    public static void WriteUserConnect(IBufferWriter<byte> output, uint call, string src) => WriteCallRequest(output, "UserConnect"u8, call, src);

    /// <summary><c>UserClear</c> with cause 16, normal call clearing.</summary>
    public static void WriteUserClear(IBufferWriter<byte> output, uint call, string src) =>
        Write(output, "UserClear"u8, src, writer =>
        {
            writer.WriteNumber("call"u8, call);
            writer.WriteNumber("cause"u8, 16);
        });

    /// <summary><c>UserTransfer</c>: joins the held caller (<paramref name="a"/>) with the colleague (<paramref name="b"/>) and leaves the operator out.</summary>
    public static void WriteUserTransfer(IBufferWriter<byte> output, uint a, uint b, string src) =>
        Write(output, "UserTransfer"u8, src, writer =>
        {
            writer.WriteNumber("a"u8, a);
            writer.WriteNumber("b"u8, b);
        });

    /// <summary>UserReroute and UserRedirect have the same shape; only the forwarding differs.</summary>
    private static void WriteMoveCall(IBufferWriter<byte> output, ReadOnlySpan<byte> type, uint call, Destination to, string src) =>
        Write(output, type, src, writer =>
        {
            writer.WriteNumber("call"u8, call);
            WriteDestination(writer, to);
        });

    private static void WriteCallRequest(IBufferWriter<byte> output, ReadOnlySpan<byte> type, uint call, string src) =>
        Write(output, type, src, writer => writer.WriteNumber("call"u8, call));

    private static void WriteDestination(Utf8JsonWriter writer, Destination to)
    {
        if (to.Cn is { } cn)
        {
            writer.WriteString("cn"u8, cn);
        }
        else
        {
            writer.WriteString("e164"u8, to.Number);
        }
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> type, string src, Action<Utf8JsonWriter> fields) =>
        PbxRequestWriter.Write(output, "RCC"u8, type, src, fields);
}
