namespace BlfBlazor.State;

/// <summary>
/// Which PBX objects get a tile (<c>Blf:ShowObjects</c>): people, that is users without an object type,
/// and the types named here. A real PBX lists queues, trunks, gateways and Boolean objects among its
/// users; a receptionist looks for people.
/// </summary>
public sealed class ShownObjects
{
    /// <summary>Executives are people (an executive's secretary answers for them): shown unless the admin says otherwise.</summary>
    public static readonly IReadOnlyList<string> DefaultTypes = ["executive"];

    public static readonly ShownObjects Default = new(DefaultTypes);

    private readonly HashSet<string> _types;

    public ShownObjects(IEnumerable<string> types) => _types = new HashSet<string>(types, StringComparer.OrdinalIgnoreCase);

    /// <summary>The waiting queue's type: a queue gets a queue card, never a person's tile.</summary>
    public const string WaitingQueue = "waiting";

    /// <summary>True for a plain user (no type) and for the named types; never for a waiting queue.</summary>
    public bool IsShown(string? pseudo) => string.IsNullOrEmpty(pseudo) || (_types.Contains(pseudo) && !IsQueue(pseudo));

    /// <summary>A waiting queue (<c>pseudo</c> = <c>waiting</c>).</summary>
    public static bool IsQueue(string? pseudo) => string.Equals(pseudo, WaitingQueue, StringComparison.OrdinalIgnoreCase);

    /// <summary>The named types, for the PBX's table replication (which types to send).</summary>
    public IEnumerable<string> Types => _types;
}
