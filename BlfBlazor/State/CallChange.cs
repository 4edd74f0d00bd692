namespace BlfBlazor.State;

/// <summary>One call leg of a user as the PBX reported it: its new state, or its end (<see cref="Leg"/> null).</summary>
internal readonly record struct CallChange(string Guid, uint Handle, CallLeg? Leg);
