using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>The test oracle: what a simulated user's lamp must show, written from PROTOCOL.md §3.</summary>
public static class Lamps
{
    public static string Expected(SimulatedUser user) =>
        user.Alert > 0 ? "ringing" : user.Channel > 0 ? "busy" : user.Registered ? "idle" : "offline";

    public static string ExpectedName(SimulatedUser user) => string.IsNullOrEmpty(user.Dn) ? user.Cn : user.Dn;
}
