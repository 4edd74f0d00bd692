namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>The busy lamp a user shows (innovaphone's rule: alert, else channel, else registered).</summary>
internal enum Lamp
{
    Offline,
    Idle,
    Ringing,
    Busy,
}
