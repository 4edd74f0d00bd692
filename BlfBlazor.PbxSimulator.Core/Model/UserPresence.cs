namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>What a user set as presence: <see cref="Activity"/> "" = available, else away, busy, dnd, lunch or any word; a free-text note.</summary>
public sealed record UserPresence(string Activity, string Note)
{
    public static UserPresence Available { get; } = new("", "");
}
