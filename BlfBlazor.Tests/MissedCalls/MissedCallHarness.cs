using BlfBlazor.MissedCalls;
using BlfBlazor.Pbx;
using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.MissedCalls;

/// <summary>
/// The PBX loop's ingest (per-user call feed, no socket) through the client's own reader and feeds into
/// the missed-call watch, a real directory and book, as the app wires them; a reconnect is a new
/// connection over the same state, as after a socket drop.
/// </summary>
internal sealed class MissedCallHarness : IDisposable
{
    public const string Ext = """{"e164":"007031123456","h323":"","cn":"","dn":""}""";
    public const string Bob = """{"cn":"bob","dn":"Bob Baker","h323":"bob","e164":"102"}""";

    private readonly MissedCallWatch _watch;
    private readonly PrivacyOptions _privacy;
    private PbxConnectionHarness _connection;

    public MissedCallHarness(CallDetails details = CallDetails.Full, int days = 14)
    {
        _privacy = new PrivacyOptions { CallDetails = details, Presence = PresenceDetails.Off, Forwarding = ForwardingDetails.Off };
        Directory = new UserDirectory(Time, new PbxDescription("pbx.test", IsDemo: false));
        Writes = new StoreWrites(Options.Create(new StoreOptions()), new StoreStatus(), Time, NullLogger<StoreWrites>.Instance);
        Book = new MissedCallBook(Writes, Options.Create(new MissedCallOptions { Days = days }), Options.Create(_privacy), Directory, Time);
        OwnDials = new OwnDials(Time);
        _watch = new MissedCallWatch(Directory, new MissedCallDetector(Book, Directory.ForwardsOnNoAnswer, Time, OwnDials), Book);
        _connection = Connect();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public UserDirectory Directory { get; }

    public MissedCallBook Book { get; }

    public StoreWrites Writes { get; }

    /// <summary>The board's own click-to-call requests, as the operator desk notes them.</summary>
    public OwnDials OwnDials { get; }

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Olivia, Alice, Bob and Carol listed and monitored (handles 10 to 13), as CALLS.md §7 casts them.</summary>
    public Task ListCastAsync() => FeedAsync(
        CallHarnessUser("g-olivia", "olivia", "Olivia Operator", "100"),
        CallHarnessUser("g-alice", "alice", "Alice Adams", "101"),
        CallHarnessUser("g-bob", "bob", "Bob Baker", "102"),
        CallHarnessUser("g-carol", "carol", "Carol Clark", "103"),
        Calls.CallHarness.InitializeResult,
        """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-olivia","user":10}""",
        """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-alice","user":11}""",
        """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-bob","user":12}""",
        """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-carol","user":13}""");

    /// <summary>The socket dropped and a new one logged in: the old handles are dead, the list comes again.</summary>
    public async Task ReconnectAsync(params string[] beforeTheListCompletes)
    {
        ((IPbxStateWriter)_watch).ConnectionLost("socket closed");
        _connection.Dispose();
        _connection = Connect();
        await FeedAsync(
            CallHarnessUser("g-olivia", "olivia", "Olivia Operator", "100"),
            CallHarnessUser("g-alice", "alice", "Alice Adams", "101"),
            CallHarnessUser("g-bob", "bob", "Bob Baker", "102"),
            CallHarnessUser("g-carol", "carol", "Carol Clark", "103"),
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-olivia","user":20}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-alice","user":21}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-bob","user":22}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-carol","user":23}""");
        await FeedAsync(beforeTheListCompletes);
        await FeedAsync(Calls.CallHarness.InitializeResult);
    }

    public async Task FeedAsync(params string[] frames)
    {
        await _connection.FeedAsync(frames);
        Assert.Empty(_connection.Dropped);
    }

    /// <summary>One CallInfo of a monitored user's leg.</summary>
    public static string CallInfo(int user, int call, int state, string msg, string? conf = null, string? peer = null, string? more = null) =>
        $$"""{"api":"RCC","mt":"CallInfo","user":{{user}},"call":{{call}}{{(conf is null ? "" : $",\"conf\":\"{conf}\"")}},"state":{{state}},"msg":"{{msg}}"{{(peer is null ? "" : $",\"peer\":{peer}")}}{{more}}}""";

    public static string Cause(int value, string text) => $$""","info":[{"type":"cause","vali":{{value}},"vals":"{{text}}"}]""";

    /// <summary>A call (<paramref name="conf"/>) rings in at the user's handle: its setup and alert.</summary>
    public static string[] Rings(int user, int call, string conf, string? more = null, string peer = Ext) =>
        [CallInfo(user, call, 129, "r-setup", conf, peer, more), CallInfo(user, call, 132, "x-alert")];

    /// <summary>The cause of a call ended the usual way (16).</summary>
    public static string NormalClearing => Cause(16, "Normal call clearing");

    /// <summary>A call rings in at the user's handle, is answered there and ends.</summary>
    public static string[] Answered(int user, int call, string conf) =>
        [.. Rings(user, call, conf), CallInfo(user, call, 133, "x-conn"), .. Ends(user, call, NormalClearing)];

    /// <summary>The leg is released with <paramref name="cause"/> and deleted.</summary>
    public static string[] Ends(int user, int call, string cause) =>
        [CallInfo(user, call, 134, "r-rel", more: cause), CallInfo(user, call, 134, "del")];

    public void Dispose() => _connection.Dispose();

    private static string CallHarnessUser(string guid, string cn, string dn, string e164) => Calls.CallHarness.UserInfo(guid, cn, dn, e164);

    private PbxConnectionHarness Connect()
    {
        var connection = new PbxConnectionHarness(_watch, Time, new PbxOptions { CallFeed = CallFeed.PerUser, MaxMonitoredUsers = 100 }, _privacy);
        connection.StartAsync().GetAwaiter().GetResult();
        return connection;
    }
}
