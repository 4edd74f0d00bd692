using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// An RCC Initialize that a session received: its src is echoed in every UserInfo that follows, and
/// with <paramref name="Calls"/> (calls:true) in every CallAdd/CallUpdate/CallDel once the initial list is out.
/// </summary>
internal sealed record RccSubscription(JsonElement? Src, bool Calls = false)
{
    /// <summary>
    /// Legs created before this serial are not reported (set when the initial list finished; long.MaxValue
    /// until then, so no leg event overtakes the user it belongs to). Changed under the PBX lock only.
    /// </summary>
    public long FirstLegSerial { get; set; } = long.MaxValue;
}
