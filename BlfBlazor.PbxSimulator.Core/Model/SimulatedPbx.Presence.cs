namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// Presence as PbxApi reports it (CALLS.md §3, §7.7): what each user set, and whether the PBX reports
/// a user's presence monitor up at all. Who subscribed to whom is the sessions' business.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Dictionary<string, UserPresence> _presence = new(StringComparer.Ordinal);

    /// <summary>
    /// The user sets an activity ("" = available; away, busy, dnd, lunch or any word) and a note; every
    /// subscriber gets the full list (not for the same values again unless <see cref="ProtocolVariants.SetPresenceEcho"/>).
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public void SetPresence(string guid, string activity, string note)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(note);
        lock (_gate)
        {
            var user = UserLocked(guid);
            var presence = new UserPresence(activity, note);
            var unchanged = _presence.GetValueOrDefault(guid, UserPresence.Available) == presence;
            if (presence == UserPresence.Available)
            {
                _presence.Remove(guid);
            }
            else
            {
                _presence[guid] = presence;
            }

            if (!IsPresenceUpLocked(guid) || (unchanged && !Variants.SetPresenceEcho))
            {
                return;
            }

            foreach (var observer in _observers)
            {
                observer.PresenceChanged(user, presence);
            }
        }
    }

    /// <summary>Back to available, without a note.</summary>
    public void ClearPresence(string guid) => SetPresence(guid, "", "");

    /// <summary>The user a SubscribePresence names by <paramref name="sip"/> (h323), else by <paramref name="num"/> (e164); null for none.</summary>
    internal SimulatedUser? UserBySipOrNum(string? sip, string? num)
    {
        lock (_gate)
        {
            return _users.Values.FirstOrDefault(candidate =>
                sip is not null ? string.Equals(candidate.H323, sip, StringComparison.Ordinal)
                : num is not null && string.Equals(candidate.E164, num, StringComparison.Ordinal));
        }
    }

    /// <summary>What the user set; available when nothing.</summary>
    internal UserPresence PresenceOf(string guid)
    {
        lock (_gate)
        {
            return _presence.GetValueOrDefault(guid, UserPresence.Available);
        }
    }

    /// <summary>Whether the PBX reports the user's presence monitor up (see <see cref="ProtocolVariants.PresenceDown"/>).</summary>
    internal bool IsPresenceUp(string guid)
    {
        lock (_gate)
        {
            return IsPresenceUpLocked(guid);
        }
    }

    /// <summary>A number below <paramref name="count"/> from the PBX's seeded random (shared with its ids, so a seeded run repeats).</summary>
    internal int Draw(int count)
    {
        lock (_gate)
        {
            return _ids.Next(count);
        }
    }

    private bool IsPresenceUpLocked(string guid) => Variants.PresenceDown switch
    {
        PresenceDownShare.All => false,
        PresenceDownShare.Some => _users.IndexOf(guid) % 3 != 0,
        _ => true,
    };
}
