namespace BlfBlazor.State;

/// <summary>One call leg of a user as the PBX reported it: its new state, or its end (<see cref="Leg"/> null).</summary>
/// <param name="Previous">The leg as this connection last reported it (with an end, the leg that ended); null for a leg new to the connection (every leg after a reconnect).</param>
internal readonly record struct CallChange(string Guid, uint Handle, CallLeg? Leg, CallLeg? Previous = null);
