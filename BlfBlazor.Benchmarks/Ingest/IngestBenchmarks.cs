using BenchmarkDotNet.Attributes;
using BlfBlazor.Pbx;
using BlfBlazor.State;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// Ingest on one core: <c>UserInfo</c> frames read by the app's <see cref="PbxFrameReader"/> and applied
/// to the <see cref="UserDirectory"/> by an <see cref="RccUserList"/>, exactly as the PBX connection does.
/// Results are per frame (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    public const int Users = 1000;
    private const int UpdateFrames = 4096;

    private const int Calls = 1000;

    private byte[][] _updates = [];
    private (PbxMessageType Type, byte[] Utf8)[] _callFrames = [];
    private PerUserCallFeed _callFeed = null!;
    private byte[][][] _lists = [];
    private byte[] _initializeResult = [];
    private UserDirectory _directory = null!;
    private RccUserList _list = null!;
    private int _nextList;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new UserDirectory(TimeProvider.System, new PbxDescription("pbx.benchmark", IsDemo: false));
        _initializeResult = UserInfoFrames.InitializeResult();

        // Two lists of different users: each resync brings N new users and drops the other N.
        _lists = [.. Enumerable.Range(0, 2).Select(generation =>
            Enumerable.Range(0, Users).Select(user => UserInfoFrames.UserInfo(user, user % 4, update: null, generation)).ToArray())];
        _list = Begin(_directory);
        Apply(_lists[0]);
        _list.TryApply(Read(_initializeResult, _list));

        // Every user monitored, then one call a user (the last frame of each ends it, so state stays bounded).
        var privacy = new PrivacyOptions();
        _callFeed = new PerUserCallFeed(_directory, new CallLegs(privacy, TimeProvider.System), int.MaxValue, (_, _) => ValueTask.CompletedTask);
        for (var user = 0; user < Users; user++)
        {
            _callFeed.UserListedAsync(_directory.Current.Users.Single(u => u.Guid == UserInfoFrames.Guid(user, 0)), default).AsTask().GetAwaiter().GetResult();
            HandleCallFrame(PbxMessageType.UserInitializeResult, CallInfoFrames.UserInitializeResult(user));
        }

        _callFrames = [.. Enumerable.Range(0, Calls).SelectMany(call => CallInfoFrames.Call(call % Users, call + 1))
            .Select(frame => (PbxMessageType.CallInfo, frame))
            .Concat(Enumerable.Range(0, Calls).Select(call => (PbxMessageType.CallInfo, System.Text.Encoding.UTF8.GetBytes($$"""{"api":"RCC","mt":"CallInfo","user":{{(call % Users) + 1}},"call":{{call + 1}},"msg":"del","del":true}"""))))];

        // Lamp changes of known users, in a fixed pseudo-random order.
        var random = new Random(7);
        _updates = [.. Enumerable.Range(0, UpdateFrames).Select(_ => UserInfoFrames.UserInfo(random.Next(Users), random.Next(4), "upd"))];
    }

    /// <summary>Live updates of known users: the steady state of a connection.</summary>
    [Benchmark(OperationsPerInvoke = UpdateFrames)]
    public void Updates() => Apply(_updates);

    /// <summary>
    /// The same updates with the reader given no known records: every name becomes a new string.
    /// The difference to <see cref="Updates"/> is what string reuse buys.
    /// </summary>
    [Benchmark(OperationsPerInvoke = UpdateFrames)]
    public void UpdatesWithoutStringReuse()
    {
        foreach (var utf8 in _updates)
        {
            _list.TryApply(Read(utf8, known: null));
        }
    }

    /// <summary>
    /// <c>CallInfo</c> frames read and applied as the PBX session does (mt recognised by the frame reader,
    /// the call fields by the monitor reader, the leg decoded and written into the directory): six
    /// frames a call and its end, 1,000 calls on 1,000 users.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Calls * (CallInfoFrames.FramesPerCall + 1))]
    public void CallInfos()
    {
        foreach (var (type, utf8) in _callFrames)
        {
            HandleCallFrame(type, utf8);
        }
    }

    /// <summary>Only <see cref="PbxFrameReader.TryRead(ReadOnlySpan{byte}, IKnownUserRecords?, out PbxFrame, out string?)"/> of the same frames, for comparison.</summary>
    [Benchmark(OperationsPerInvoke = UpdateFrames)]
    public int ReadOnly()
    {
        var users = 0;
        foreach (var utf8 in _updates)
        {
            users += Read(utf8, _list).User is null ? 0 : 1;
        }

        return users;
    }

    /// <summary>
    /// A live update followed by reading <see cref="UserDirectory.Current"/>, as the first open board
    /// woken by it does: the cost of the shared snapshot that every board then renders from.
    /// </summary>
    [Benchmark(OperationsPerInvoke = UpdateFrames)]
    public int UpdatesWithSnapshot()
    {
        var users = 0;
        foreach (var utf8 in _updates)
        {
            _list.TryApply(Read(utf8, _list));
            users += _directory.Current.Users.Length;
        }

        return users;
    }

    /// <summary>A whole initial list of N users the directory did not know, then InitializeResult (which drops the previous N).</summary>
    [Benchmark(OperationsPerInvoke = Users)]
    public void InitialListOfNewUsers()
    {
        _nextList ^= 1;
        _list = Begin(_directory);
        Apply(_lists[_nextList]);
        _list.TryApply(Read(_initializeResult, _list));
    }

    private void Apply(byte[][] frames)
    {
        foreach (var utf8 in frames)
        {
            _list.TryApply(Read(utf8, _list));
        }
    }

    private void HandleCallFrame(PbxMessageType expected, byte[] utf8)
    {
        if (!PbxFrameReader.TryRead(utf8, out var frame, out var error) || frame.Type != expected
            || !MonitorFrameReader.TryRead(utf8, frame.Type, out var monitorFrame, out error))
        {
            throw new InvalidOperationException(error ?? $"not a {expected}");
        }

        // The feed answers a CallInfo without waiting (nothing to send); read it without a Task allocation.
#pragma warning disable CA2012 // checked for synchronous completion before its one read
        var handled = _callFeed.HandleAsync(monitorFrame, default);
        if (!handled.IsCompletedSuccessfully || handled.Result is { } dropped)
        {
            throw new InvalidOperationException("the CallInfo was not applied");
        }
#pragma warning restore CA2012
    }

    /// <summary>A new connection's list, as the PBX session begins it after the login.</summary>
    private static RccUserList Begin(UserDirectory directory)
    {
        var list = new RccUserList(directory);
        list.Begin();
        return list;
    }

    /// <summary>As the PBX session reads a frame: with the records its connection knows.</summary>
    private static PbxFrame Read(byte[] utf8, IKnownUserRecords? known)
    {
        if (!PbxFrameReader.TryRead(utf8, known, out var frame, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return frame;
    }
}
