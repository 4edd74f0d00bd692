using System.Buffers;
using BlfBlazor.State;

namespace BlfBlazor.Pbx.PbxApi;

/// <summary>The PbxApi requests the board sends.</summary>
internal static class PbxApiRequests
{
    /// <summary>Subscribes one user's presence; updates carry nothing but <paramref name="src"/>.</summary>
    public static void WriteSubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "SubscribePresence"u8, src, "sip"u8, sip);

    public static void WriteUnsubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "UnsubscribePresence"u8, src, "sip"u8, sip);

    /// <summary>
    /// <c>SetPresence</c> of a user (<c>sip</c> = their <c>h323</c>) as set by the user (<c>contact:"tel:"</c>):
    /// <paramref name="activity"/> is the PBX's word (<c>""</c> = available); both empty clears it.
    /// </summary>
    public static void WriteSetPresence(IBufferWriter<byte> output, string sip, string activity, string note, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "SetPresence"u8, src, writer =>
        {
            writer.WriteString("sip"u8, sip);
            writer.WriteString("contact"u8, "tel:"u8);
            writer.WriteString("activity"u8, activity);
            writer.WriteString("note"u8, note);
        });

    /// <summary><c>AddDiversion</c>: the user's calls of <paramref name="kind"/> go to a number (<c>ep-num</c>) or a user by name (<c>ep-sip</c>).</summary>
    public static void WriteAddDiversion(IBufferWriter<byte> output, string sip, DiversionKind kind, DiversionTarget to, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "AddDiversion"u8, src, writer =>
        {
            WriteDiversion(writer, sip, kind);
            if (to.Number is { } number)
            {
                writer.WriteString("ep-num"u8, number);
            }
            else
            {
                writer.WriteString("ep-sip"u8, to.Sip);
            }
        });

    /// <summary><c>DelDiversion</c>: ends the user's diversion of <paramref name="kind"/>.</summary>
    public static void WriteDelDiversion(IBufferWriter<byte> output, string sip, DiversionKind kind, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "DelDiversion"u8, src, writer => WriteDiversion(writer, sip, kind));

    /// <summary><c>AppNotify</c> (PBXAPIS.md §3.3): a notification in the user's myApps; no <c>link</c>, as I-BTN sends it.</summary>
    public static void WriteAppNotify(IBufferWriter<byte> output, string sip, string title, string text, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "AppNotify"u8, src, writer =>
        {
            writer.WriteString("sip"u8, sip);
            writer.WriteString("title"u8, title);
            writer.WriteString("text"u8, text);
        });

    /// <summary><c>GetDiversion</c>: harmless, and 14r1's like AddDiversion; the board asks it to learn whether diversions can be set at all.</summary>
    public static void WriteGetDiversion(IBufferWriter<byte> output, string sip, DiversionKind kind, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "GetDiversion"u8, src, writer => WriteDiversion(writer, sip, kind));

    private static void WriteDiversion(System.Text.Json.Utf8JsonWriter writer, string sip, DiversionKind kind)
    {
        writer.WriteString("sip"u8, sip);
        writer.WriteString("type"u8, kind switch
        {
            DiversionKind.Always => "cfu"u8,
            DiversionKind.Busy => "cfb"u8,
            _ => "cfnr"u8,
        });
    }
}

/// <summary>Where a diversion set from the board goes: a number as dialled, or a PBX user by name (<c>h323</c>).</summary>
internal sealed record DiversionTarget(string? Number, string? Sip)
{
    public static DiversionTarget Dial(string number) => new(number, null);

    public static DiversionTarget User(string sip) => new(null, sip);
}
