using BlfBlazor.Pbx;
using BlfBlazor.Pbx.PbxApi;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Calls;

/// <summary>
/// One PBX connection's ingest without a socket (<see cref="PbxConnectionHarness"/>) into a real
/// <see cref="UserDirectory"/>, with the call feed and presence as configured.
/// </summary>
internal sealed class CallHarness : IDisposable
{
    private readonly PbxConnectionHarness _connection;

    public CallHarness(CallFeed feed = CallFeed.PerUser, CallDetails details = CallDetails.Full, PresenceDetails presence = PresenceDetails.On, int maxMonitored = 2000)
    {
        Directory = new UserDirectory(Time, new PbxDescription("pbx.test", IsDemo: false));
        _connection = new PbxConnectionHarness(
            Directory,
            Time,
            new PbxOptions { CallFeed = feed, MaxMonitoredUsers = maxMonitored, MaxPresenceSubscriptions = 2000, PresenceAnswerTimeout = TimeSpan.FromSeconds(10) },
            new PrivacyOptions { CallDetails = details, Presence = presence });
        _connection.StartAsync().GetAwaiter().GetResult();
        Sent.Clear(); // the Initialize: the tests look at what the monitors send
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public UserDirectory Directory { get; }

    public IUserMonitor? Calls => _connection.Dispatcher.Calls;

    public PresenceFeed? Presence => _connection.Dispatcher.Presence;

    /// <summary>Every request the monitors sent, in order.</summary>
    public List<string> Sent => _connection.Sent;

    /// <summary>Why frames were dropped, in order.</summary>
    public List<string> Dropped => _connection.Dropped;

    public PbxUser User(string guid) => Directory.Current.Users.Single(u => u.Guid == guid);

    public IReadOnlyList<CallLeg> CallsOf(string guid) => User(guid).Activity?.Calls ?? [];

    /// <summary>Feeds frames as the session hands them to its dispatcher.</summary>
    public Task FeedAsync(params string[] frames) => _connection.FeedAsync(frames);

    /// <summary>A user as the PBX lists them: <c>{"mt":"UserInfo",...}</c> with a registered phone.</summary>
    public static string UserInfo(string guid, string cn, string dn, string e164, int channel = 0, int alert = 0, bool update = false) =>
        $$"""{"api":"RCC","mt":"UserInfo","src":"blf",{{(update ? "\"update\":\"upd\"," : "")}}"guid":"{{guid}}","cn":"{{cn}}","dn":"{{dn}}","e164":"{{e164}}","h323":"{{cn}}","regs":[{"hw":"x"}]{{(channel > 0 ? $",\"channel\":{channel}" : "")}}{{(alert > 0 ? $",\"alert\":{alert}" : "")}}}""";

    public const string InitializeResult = """{"api":"RCC","mt":"InitializeResult","src":"blf"}""";

    public void Dispose() => _connection.Dispose();
}
