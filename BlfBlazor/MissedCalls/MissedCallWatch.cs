using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// The PBX loop's state writer with missed calls on the side: every change goes to the directory
/// unchanged; the call legs of users on the board also go to the <see cref="MissedCallDetector"/>.
/// A decorator, so the directory knows nothing of missed calls and the feeds nothing of either.
/// </summary>
internal sealed class MissedCallWatch(UserDirectory directory, MissedCallDetector detector) : IPbxStateWriter
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
        if (!_directory.ApplyCall(change))
        {
            return false;
        }

        detector.Observe(change);
        return true;
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
