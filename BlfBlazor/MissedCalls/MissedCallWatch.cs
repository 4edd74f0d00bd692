using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// The PBX loop's state writer with missed calls on the side: every change goes to the directory
/// unchanged; the call legs also go to the <see cref="MissedCallDetector"/>. A decorator, so the
/// feeds know nothing of missed calls and the directory only takes them beside a leg.
/// </summary>
/// <remarks>
/// The detector sees a leg before the directory does, so that a missed call (or a call that clears the
/// count) rides on the leg's own new record: one publish, not two (about a fifth of the missed calls' cost
/// on the PBX loop, measured). A leg of a user the board does not list (a race with the user's removal) may so
/// count; its missed calls are kept for the user's return, as any the book holds for an unlisted user.
/// </remarks>
internal sealed class MissedCallWatch(UserDirectory directory, MissedCallDetector detector, MissedCallBook book) : IPbxStateWriter
{
    private readonly IPbxStateWriter _directory = directory;

    public void BeginResync()
    {
        // The rings open now, as the lost connection left them on the board, before the new list replaces them.
        detector.Reconnecting(directory.Current);
        _directory.BeginResync();
    }

    public void CompleteResync()
    {
        _directory.CompleteResync();
        detector.Resynced();
    }

    public bool ApplyCall(in CallChange change)
    {
        book.Ride(change.Guid);
        UserMissedCalls? missed;
        try
        {
            detector.Observe(change);
        }
        finally
        {
            missed = book.TakeRide();
        }

        return directory.ApplyCall(change, missed);
    }

    public void NextLoginTo(string? standby) => _directory.NextLoginTo(standby);

    public void Apply(in UserChange change) => _directory.Apply(change);

    public bool ApplyPresence(string guid, UserPresence? presence) => _directory.ApplyPresence(guid, presence);

    public void BeginTableResync() => _directory.BeginTableResync();

    public void ApplyTableRow(UserTableRow row) => _directory.ApplyTableRow(row);

    public void RemoveTableRow(string guid) => _directory.RemoveTableRow(guid);

    public void CompleteTableResync() => _directory.CompleteTableResync();

    public void ForgetTable() => _directory.ForgetTable();

    public void ReportMonitoring(MonitoringStatus monitoring) => _directory.ReportMonitoring(monitoring);

    public void ConnectionLost(string? problem) => _directory.ConnectionLost(problem);

    public void LoginRefused(string problem) => _directory.LoginRefused(problem);

    public IQueueStateWriter Queues => _directory.Queues;
}
