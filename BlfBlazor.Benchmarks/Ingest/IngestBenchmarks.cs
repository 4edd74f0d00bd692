using BenchmarkDotNet.Attributes;
using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.MissedCalls;
using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// Ingest on one core: <c>UserInfo</c> frames read by the app's <see cref="PbxMessageReader"/> and applied
/// to the <see cref="UserDirectory"/> by an <see cref="RccUserList"/>, and (<see cref="UpdatesDispatched"/>)
/// through the whole <see cref="PbxDispatcher"/> with calls and presence monitored, exactly as the PBX
/// connection does. Results are per frame (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks : IDisposable
{
    public const int Users = 1000;
    private const int UpdateFrames = 4096;

    private const int Calls = 1000;
    public const int HalfMissedFrames = (Calls / 2 * CallInfoFrames.FramesPerCall) + (Calls / 2 * CallInfoFrames.FramesPerUnansweredCall) + Calls;

    private byte[][] _updates = [];
    private (PbxMessageType Type, byte[] Utf8)[] _callFrames = [];
    /// <summary>Passes of the missed-call frames, each with calls (<c>conf</c>) of its own, as a PBX never repeats one.</summary>
    public const int MissedCallGenerations = 16;

    private byte[][][] _missedCallFrames = [];
    private int _plainGeneration;
    private int _watchedGeneration;
    private PerUserCallFeed _plainCalls = null!;
    private PerUserCallFeed _watchedCalls = null!;
    private readonly StoreWrites _storeWrites = new(Options.Create(new StoreOptions()), new StoreStatus(), TimeProvider.System, NullLogger<StoreWrites>.Instance);
    private PerUserCallFeed _callFeed = null!;
    private UserDirectory _dispatchedDirectory = null!;
    private PbxDispatcher _dispatcher = null!;
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
        _callFeed = Monitored(_directory, _directory);

        _callFrames = [.. Enumerable.Range(0, Calls).SelectMany(call => CallInfoFrames.Call(call % Users, call + 1))
            .Concat(Enumerable.Range(0, Calls).Select(call => CallInfoFrames.Deleted(call % Users, call + 1)))
            .Select(frame => (PbxMessageType.CallInfo, frame))];

        // Half the calls answered, half given up while ringing (missed): the same frames with and without the missed-call watch.
        MissOneCallIn(2);
        _plainCalls = MonitoredCalls(directory => directory);
        _watchedCalls = MonitoredCalls(directory =>
        {
            var book = new MissedCallBook(_storeWrites, Options.Create(new MissedCallOptions()), Options.Create(privacy), directory, TimeProvider.System);
            return new MissedCallWatch(directory, new MissedCallDetector(book, directory.ForwardsOnNoAnswer, TimeProvider.System, new OwnDials(TimeProvider.System)), book);
        });

        // Lamp changes of known users, in a fixed pseudo-random order.
        var random = new Random(7);
        _updates = [.. Enumerable.Range(0, UpdateFrames).Select(_ => UserInfoFrames.UserInfo(random.Next(Users), random.Next(4), "upd"))];

        // A whole connection's dispatcher: the list, every user's calls and presence asked for (never answered here).
        _dispatchedDirectory = new UserDirectory(TimeProvider.System, new PbxDescription("pbx.benchmark", IsDemo: false));
        _dispatcher = new PbxDispatcher(
            new PbxOptions { MaxMonitoredUsers = int.MaxValue, MaxPresenceSubscriptions = int.MaxValue, PresenceAnswerTimeout = TimeSpan.FromDays(1) },
            new PrivacyOptions(),
            _dispatchedDirectory,
            [],
            (_, _) => ValueTask.CompletedTask,
            TimeProvider.System,
            NullLogger.Instance);
        Wait(_dispatcher.StartAsync(default));
        foreach (var utf8 in _lists[0].Append(_initializeResult))
        {
            Dispatch(utf8);
        }
    }

    /// <summary>
    /// The frames of <see cref="CallInfosHalfMissed"/> and <see cref="CallInfosWithMissedCalls"/> with one call in
    /// <paramref name="calls"/> given up while ringing (2, the default: every other call, the worst case measured).
    /// </summary>
    /// <remarks>
    /// Which calls are missed moves with the generation, so every user misses one call in <paramref name="calls"/>
    /// of their own and answers the others, as in an office: an answer after a missed call clears the tile's count.
    /// With the same calls missed in every pass, the users who missed never answered and those who answered never
    /// missed, and the cost read about half of what it is (+6.7 % against +13 % with one call in ten, same build).
    /// </remarks>
    public void MissOneCallIn(int calls)
    {
        _missedCallFrames = [.. Enumerable.Range(0, MissedCallGenerations).Select(generation => Enumerable.Range(0, Calls)
            .SelectMany(call => (call + generation) % calls != calls - 1 ? CallInfoFrames.Call(call % Users, call + 1, generation) : CallInfoFrames.Unanswered(call % Users, call + 1, generation))
            .Concat(Enumerable.Range(0, Calls).Select(call => CallInfoFrames.Deleted(call % Users, call + 1)))
            .ToArray())];
    }

    /// <summary>CallInfo frames a pass of <see cref="CallInfosHalfMissed"/> reads, with the share of missed calls set.</summary>
    public int MissedCallPassFrames => _missedCallFrames[0].Length;

    [GlobalCleanup]
    public void Dispose()
    {
        _dispatcher?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Live updates of known users through the connection's dispatcher, with calls and presence monitored.</summary>
    [Benchmark(OperationsPerInvoke = UpdateFrames)]
    public void UpdatesDispatched()
    {
        foreach (var utf8 in _updates)
        {
            Dispatch(utf8);
        }
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
    /// <c>CallInfo</c> frames read and applied as the PBX session does (read once, the leg decoded and
    /// written into the directory): six frames a call and its end, 1,000 calls on 1,000 users.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Calls * (CallInfoFrames.FramesPerCall + 1))]
    public void CallInfos()
    {
        foreach (var (type, utf8) in _callFrames)
        {
            HandleCallFrame(type, utf8);
        }
    }

    /// <summary>
    /// CallInfo frames of 1,000 calls on 1,000 monitored users, half answered and half given up while ringing,
    /// read and written into the directory: the baseline of <see cref="CallInfosWithMissedCalls"/>.
    /// </summary>
    [Benchmark(OperationsPerInvoke = HalfMissedFrames)]
    public void CallInfosHalfMissed()
    {
        _plainGeneration = (_plainGeneration + 1) % MissedCallGenerations;
        foreach (var utf8 in _missedCallFrames[_plainGeneration])
        {
            HandleCallFrame(_plainCalls, PbxMessageType.CallInfo, utf8);
        }
    }

    /// <summary>
    /// The same frames through the missed-call watch, as the app runs: every leg also goes to the detector,
    /// 500 missed calls are recorded in the book (and their tiles' counts republished), every answered call
    /// marks the user's last call, and each is queued for the store (drained here, as the store service would).
    /// </summary>
    [Benchmark(OperationsPerInvoke = HalfMissedFrames)]
    public void CallInfosWithMissedCalls()
    {
        _watchedGeneration = (_watchedGeneration + 1) % MissedCallGenerations;
        foreach (var utf8 in _missedCallFrames[_watchedGeneration])
        {
            HandleCallFrame(_watchedCalls, PbxMessageType.CallInfo, utf8);
        }

        while (_storeWrites.Reader.TryRead(out _))
        {
            // What the store service takes, so the queue stays below its bound.
        }
    }

    /// <summary>Only <see cref="PbxMessageReader.TryRead(ReadOnlySpan{byte}, IKnownUserRecords?, out PbxMessage, out string?)"/> of the same frames, for comparison.</summary>
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

    private void HandleCallFrame(PbxMessageType expected, byte[] utf8) => HandleCallFrame(_callFeed, expected, utf8);

    private static void HandleCallFrame(PerUserCallFeed feed, PbxMessageType expected, byte[] utf8)
    {
        if (!PbxMessageReader.TryRead(utf8, out var message, out var error) || message.Type != expected)
        {
            throw new InvalidOperationException(error ?? $"not a {expected}");
        }

        // The feed answers a CallInfo without waiting (nothing to send); read it without a Task allocation.
#pragma warning disable CA2012 // checked for synchronous completion before its one read
        var handled = feed.HandleAsync(message, default);
        if (!handled.IsCompletedSuccessfully || handled.Result is { } dropped)
        {
            throw new InvalidOperationException("the CallInfo was not applied");
        }
#pragma warning restore CA2012
    }

    /// <summary>A directory with the N users listed and live, and a call feed writing through <paramref name="writer"/> with every user monitored.</summary>
    private PerUserCallFeed MonitoredCalls(Func<UserDirectory, IPbxStateWriter> writer)
    {
        var directory = new UserDirectory(TimeProvider.System, new PbxDescription("pbx.benchmark", IsDemo: false));
        var list = Begin(directory);
        foreach (var utf8 in _lists[0].Append(_initializeResult))
        {
            list.TryApply(Read(utf8, list));
        }

        return Monitored(directory, writer(directory));
    }

    /// <summary>A call feed writing through <paramref name="writer"/> with every listed user of <paramref name="directory"/> monitored.</summary>
    private static PerUserCallFeed Monitored(UserDirectory directory, IPbxStateWriter writer)
    {
        var feed = new PerUserCallFeed(writer, new CallLegs(new PrivacyOptions(), TimeProvider.System), int.MaxValue, (_, _) => ValueTask.CompletedTask);
        for (var user = 0; user < Users; user++)
        {
            var listed = directory.Current.Users.Single(u => u.Guid == UserInfoFrames.Guid(user, 0));
            Wait(feed.UserListedAsync(new PbxUserInfo(listed.Guid, listed.Cn, listed.Dn, listed.E164, listed.H323, listed.Node, listed.Pbx, listed.RegisteredDevices, listed.Channel, listed.Alert), default));
            HandleCallFrame(feed, PbxMessageType.UserInitializeResult, CallInfoFrames.UserInitializeResult(user));
        }

        return feed;
    }

    /// <summary>A new connection's list, as the PBX session begins it after the login.</summary>
    private static RccUserList Begin(UserDirectory directory)
    {
        var list = new RccUserList(directory);
        list.Begin();
        return list;
    }

    /// <summary>As the PBX session reads a frame: with the records its connection knows.</summary>
    private static PbxMessage Read(byte[] utf8, IKnownUserRecords? known)
    {
        if (!PbxMessageReader.TryRead(utf8, known, out var message, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return message;
    }

    /// <summary>As the session hands a message on after the login; the dispatcher answers a lamp change without waiting.</summary>
    private void Dispatch(byte[] utf8)
    {
#pragma warning disable CA2012 // checked for synchronous completion before its one read
        var dispatched = _dispatcher.DispatchAsync(Read(utf8, _dispatcher.KnownUsers), default);
        if (!dispatched.IsCompletedSuccessfully || dispatched.Result is { } dropped)
        {
            throw new InvalidOperationException("the frame was not dispatched");
        }
#pragma warning restore CA2012
    }

    private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
