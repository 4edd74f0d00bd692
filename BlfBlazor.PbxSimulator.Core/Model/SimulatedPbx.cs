namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The truth of the simulated PBX: its users, calls and presence, and who is told of their changes.
/// One lock covers the truth and the telling, so every subscriber hears of the changes in the order
/// they happened, and a step it runs with <see cref="Atomically"/> (an initial list, a replay) can
/// never interleave with a change. Knows nothing of sessions, sockets or frames.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, SimulatedUser> _users = new(StringComparer.Ordinal);
    private readonly HashSet<IPbxObserver> _observers = [];
    private readonly ILogger<SimulatedPbx> _logger;
    private ProtocolVariants _variants;

    // Conference and call ids, and shuffled presence orders: from the seed, so a seeded run repeats.
    private readonly Random _ids;

    /// <summary>
    /// A PBX with these users, in this order. With a <paramref name="seed"/> its own random choices
    /// (conference and call ids, shuffled presence orders) repeat from run to run.
    /// </summary>
    public SimulatedPbx(IEnumerable<SimulatedUser> users, ProtocolVariants variants, int? seed, TimeProvider timeProvider, ILogger<SimulatedPbx> logger)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        TimeProvider = timeProvider;
        _logger = logger;
        foreach (var user in users)
        {
            _users.Add(user.Guid, user);
        }

        _variants = variants;
        _ids = seed is { } idSeed ? new Random(unchecked(idSeed * 7 + 3)) : new Random();
        Log.UsersGenerated(_logger, _users.Count, seed);
    }

    /// <summary>
    /// The simulator's answers to the protocol's unknowns (CALLS.md §6), as configured (Simulator:Variants);
    /// tests swap them at run time. A frame is built from one set, never half of a change.
    /// </summary>
    /// <exception cref="ArgumentException">The set has a value that is not defined.</exception>
    public ProtocolVariants Variants
    {
        get => Volatile.Read(ref _variants);
        set
        {
            var failures = new List<string>();
            ProtocolVariants.Validate(value, failures);
            if (failures.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", failures), nameof(value));
            }

            Volatile.Write(ref _variants, value);
        }
    }

    /// <summary>Snapshot of all users, in creation order.</summary>
    public IReadOnlyList<SimulatedUser> Users
    {
        get { lock (_gate) { return [.. _users.Values]; } }
    }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger => _logger;

    public SimulatedUser? Find(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        lock (_gate)
        {
            return _users.GetValueOrDefault(guid);
        }
    }

    /// <summary>32 lowercase hex digits, like the PBX's user guids (also its conference and call ids).</summary>
    internal static string NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Adds the user, or replaces the one with the same guid (keeping its place); announces it as update "upd".</summary>
    public void Upsert(SimulatedUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(user.Guid, nameof(user));
        lock (_gate)
        {
            _users[user.Guid] = user;
            AnnounceLocked(user);
        }
    }

    /// <summary>Deletes the user; announces it as update "del". False when there was no such user.</summary>
    public bool Remove(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        lock (_gate)
        {
            // A deleted user's calls end with them.
            foreach (var leg in _legsByUser.GetValueOrDefault(guid)?.ToList() ?? [])
            {
                if (_legs.ContainsKey(leg.Handle))
                {
                    HangUpLocked(leg);
                }
            }

            if (!_users.Remove(guid))
            {
                return false;
            }

            _presence.Remove(guid);
            foreach (var observer in _observers)
            {
                observer.UserRemoved(guid);
            }

            return true;
        }
    }

    /// <summary>Replaces the lamp-relevant state of a user, announces it and returns the new record.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public SimulatedUser SetLamp(string guid, bool registered, int channel, int alert)
    {
        ArgumentNullException.ThrowIfNull(guid);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfNegative(alert);
        return ChangeUser(guid, user => user with { Registered = registered, Channel = channel, Alert = alert });
    }

    /// <summary>
    /// From now on tells <paramref name="observer"/> of every change, under the PBX lock (see
    /// <see cref="IPbxObserver"/>); disposing the result ends that. To read the truth and start
    /// watching part of it in one step, the observer reads inside <see cref="Atomically"/>.
    /// </summary>
    internal IDisposable Subscribe(IPbxObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers.Add(observer);
        }

        return new Subscription(this, observer);
    }

    /// <summary>
    /// Runs <paramref name="step"/> under the PBX lock: no change happens, and no observer is told of
    /// one, while it runs. The lock is reentrant, so the step may read and change the PBX; it must not block.
    /// </summary>
    internal void Atomically(Action step)
    {
        lock (_gate)
        {
            step();
        }
    }

    /// <inheritdoc cref="Atomically(Action)"/>
    internal T Atomically<T>(Func<T> step)
    {
        lock (_gate)
        {
            return step();
        }
    }

    /// <summary>The users' guids at this moment, in creation order.</summary>
    internal IReadOnlyList<string> UserGuids
    {
        get { lock (_gate) { return [.. _users.Keys]; } }
    }

    /// <summary>
    /// Applies a change to one user under the lock and announces it; false when the user is gone, is in
    /// a call (its lamp follows its legs) or <paramref name="change"/> returned null.
    /// </summary>
    internal bool TryChange(string guid, Func<SimulatedUser, SimulatedUser?> change, out SimulatedUser? changed)
    {
        lock (_gate)
        {
            changed = _users.TryGetValue(guid, out var user) && !_legsByUser.ContainsKey(guid) ? change(user) : null;
            if (changed is null)
            {
                return false;
            }

            _users[guid] = changed;
            AnnounceLocked(changed);
            return true;
        }
    }

    /// <summary>Replaces the user's record with the change of it and announces it.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    private SimulatedUser ChangeUser(string guid, Func<SimulatedUser, SimulatedUser> change)
    {
        lock (_gate)
        {
            var changed = change(UserLocked(guid));
            _users[guid] = changed;
            AnnounceLocked(changed);
            return changed;
        }
    }

    private void AnnounceLocked(SimulatedUser user)
    {
        foreach (var observer in _observers)
        {
            observer.UserChanged(user);
        }
    }

    private void Unsubscribe(IPbxObserver observer)
    {
        lock (_gate)
        {
            _observers.Remove(observer);
        }
    }

    /// <summary>An observer's subscription; disposing it twice is harmless.</summary>
    private sealed class Subscription(SimulatedPbx pbx, IPbxObserver observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                pbx.Unsubscribe(observer);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Simulated PBX has {Count} users (seed {Seed})")]
        public static partial void UsersGenerated(ILogger logger, int count, int? seed);
    }
}
