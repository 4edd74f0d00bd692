using System.Buffers;

namespace BlfBlazor.Pbx.PbxApi;

/// <summary>The PbxApi requests the board sends.</summary>
internal static class PbxApiRequests
{
    /// <summary>Subscribes one user's presence; updates carry nothing but <paramref name="src"/>.</summary>
    public static void WriteSubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "SubscribePresence"u8, src, "sip"u8, sip);

    public static void WriteUnsubscribePresence(IBufferWriter<byte> output, string sip, string src) =>
        PbxRequestWriter.Write(output, "PbxApi"u8, "UnsubscribePresence"u8, src, "sip"u8, sip);
}
