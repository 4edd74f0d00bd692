using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>The RCC frames about calls (CALLS.md §2): user monitors, CallInfo, and the whole-PBX feed.</summary>
internal static class CallMessages
{
    public static byte[] UserInitializeResult(JsonElement? src, int? user) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, "UserInitializeResult", src);
        if (user is { } handle)
        {
            writer.WriteNumber("user", handle);
        }

        // The dialling context of a German PBX in area 7031 (§2.1).
        writer.WriteString("prefixIntl", "000");
        writer.WriteString("prefixNtl", "00");
        writer.WriteString("prefixSubs", "0");
        writer.WriteString("area", "7031");
        writer.WriteString("country", "49");
    });

    public static byte[] UserEndResult(JsonElement? src) => PbxMessages.Write(writer =>
        PbxMessages.WriteRccHeader(writer, "UserEndResult", src));

    /// <summary>
    /// A CallInfo for <paramref name="leg"/> as the monitor sees it. <paramref name="last"/> makes it the
    /// leg's last one, in the <see cref="ProtocolVariants.EndForm"/> chosen.
    /// </summary>
    public static byte[] CallInfo(UserMonitor monitor, CallLeg leg, string msg, bool last, CallCause? cause, ProtocolVariants variants, DateTimeOffset now) =>
        PbxMessages.Write(writer =>
        {
            PbxMessages.WriteRccHeader(writer, "CallInfo", monitor.Src);
            writer.WriteNumber("user", monitor.Handle);
            writer.WriteNumber("call", leg.Handle);
            writer.WriteString("conf", leg.Conf);
            writer.WriteNumber("state", leg.State);
            writer.WriteString("msg", last && variants.EndForm != CallEndForm.Bool ? "del" : msg);
            WriteConnector(writer, "peer", leg.Peer);
            if (leg.Related.Count > 0)
            {
                writer.WriteStartArray("no");
                foreach (var related in leg.Related)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", related.Type);
                    if (related.Party is { } party)
                    {
                        WriteConnectorFields(writer, party);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (variants.SendTime)
            {
                writer.WriteNumber("time", (long)Math.Max(0, (now - leg.StartedAt).TotalSeconds));
            }

            if (cause is { } info)
            {
                writer.WriteStartArray("info");
                writer.WriteStartObject();
                writer.WriteString("type", "cause");
                writer.WriteNumber("vali", info.Code);
                writer.WriteString("vals", info.Text);
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            if (last && variants.EndForm != CallEndForm.Msg)
            {
                writer.WriteBoolean("del", true);
            }
        });

    /// <summary>A CallAdd: the leg's owner, a user or (for an outside party's leg) the trunk, which a board ignores.</summary>
    public static byte[] CallAdd(JsonElement? src, CallLeg leg) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, "CallAdd", src);
        writer.WriteString("guid", leg.OwnerGuid ?? SimulatedPbx.TrunkGuid);
        writer.WriteString("cn", leg.OwnerGuid is null ? SimulatedPbx.TrunkCn : leg.Owner.Cn);
        writer.WriteNumber("call", leg.Handle);
        writer.WriteNumber("state", leg.State);
        writer.WriteString("conf-id", leg.Conf);
        writer.WriteString("call-id", leg.Call.CallId);
    });

    /// <summary>A CallUpdate: <c>local</c> the leg's own numbers, <c>remote</c> the peer's, an outside number normalised to +49….</summary>
    public static byte[] CallUpdate(JsonElement? src, CallLeg leg, string msg) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, "CallUpdate", src);
        writer.WriteNumber("call", leg.Handle);
        writer.WriteString("msg", msg);
        WriteNumbers(writer, "local", leg.Owner);
        WriteNumbers(writer, "remote", leg.Peer);
    });

    public static byte[] CallDeleted(JsonElement? src, CallLeg leg, CallDeleteName name) => PbxMessages.Write(writer =>
    {
        PbxMessages.WriteRccHeader(writer, name == CallDeleteName.CallDelete ? "CallDelete" : "CallDel", src);
        writer.WriteNumber("call", leg.Handle);
    });

    /// <summary>
    /// An outside number as the PBX normalises it for CallUpdate (CALLS.md §2.7 guesses +49…), read in
    /// the dialling context of <see cref="UserInitializeResult"/>: trunk digit 0, then 00 international,
    /// 0 national, else a local number in area 7031. A number already in + form, or without the trunk digit, keeps its digits.
    /// </summary>
    public static string Normalized(string number)
    {
        var digits = string.Concat(number.Where(char.IsAsciiDigit));
        return number.StartsWith('+') ? "+" + digits
            : digits.StartsWith("000", StringComparison.Ordinal) ? "+" + digits[3..]
            : digits.StartsWith("00", StringComparison.Ordinal) ? "+49" + digits[2..]
            : digits.StartsWith('0') ? "+497031" + digits[1..]
            : digits;
    }

    private static void WriteConnector(Utf8JsonWriter writer, string name, Connector connector)
    {
        writer.WriteStartObject(name);
        WriteConnectorFields(writer, connector);
        writer.WriteEndObject();
    }

    private static void WriteConnectorFields(Utf8JsonWriter writer, Connector connector)
    {
        writer.WriteString("cn", connector.Cn);
        writer.WriteString("dn", connector.Dn);
        writer.WriteString("h323", connector.H323);
        writer.WriteString("e164", connector.E164);
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, Connector connector)
    {
        writer.WriteStartObject(name);
        writer.WriteString("h323", connector.H323);
        writer.WriteString("e164", connector.IsInternal ? connector.E164 : Normalized(connector.E164));
        writer.WriteEndObject();
    }
}
