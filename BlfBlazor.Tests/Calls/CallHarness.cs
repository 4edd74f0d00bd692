using System.Buffers;
using System.Text;
using BlfBlazor.Pbx;
using BlfBlazor.State;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Calls;

/// <summary>
/// One PBX connection's ingest without a socket: frames as JSON text go through the client's own
/// readers, user list and monitors into a real <see cref="UserDirectory"/>, as the session routes them;
/// requests the monitors send are kept as text.
/// </summary>
internal sealed class CallHarness : IDisposable
{
    private readonly RccUserList _list;

    public CallHarness(CallFeed feed = CallFeed.PerUser, CallDetails details = CallDetails.Full, PresenceDetails presence = PresenceDetails.On, int maxMonitored = 2000)
    {
        Directory = new UserDirectory(Time, new PbxDescription("pbx.test", IsDemo: false));
        _list = new RccUserList(Directory);
        var privacy = new PrivacyOptions { CallDetails = details, Presence = presence };
        var legs = new CallLegs(privacy, Time);
        PbxSend send = (write, _) =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            write(buffer);
            Sent.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
            return ValueTask.CompletedTask;
        };
        Calls = feed switch
        {
            CallFeed.PerUser => new PerUserCallFeed(Directory, legs, maxMonitored, send),
            CallFeed.WholePbx => new WholePbxCallFeed(Directory, legs, _list),
            _ => null,
        };
        Presence = presence == PresenceDetails.Off ? null : new PresenceFeed(Directory, privacy, 2000, TimeSpan.FromSeconds(10), Time, send);
        _list.Begin();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public UserDirectory Directory { get; }

    public IUserMonitor? Calls { get; }

    public PresenceFeed? Presence { get; }

    /// <summary>Every request the monitors sent, in order.</summary>
    public List<string> Sent { get; } = [];

    /// <summary>Why frames were dropped, in order.</summary>
    public List<string> Dropped { get; } = [];

    public PbxUser User(string guid) => Directory.Current.Users.Single(u => u.Guid == guid);

    public IReadOnlyList<CallLeg> CallsOf(string guid) => User(guid).Activity?.Calls ?? [];

    /// <summary>Feeds frames as the session does: user list first, then the monitor that asked for the answer.</summary>
    public async Task FeedAsync(params string[] frames)
    {
        foreach (var json in frames)
        {
            var utf8 = Encoding.UTF8.GetBytes(json);
            if (!PbxFrameReader.TryRead(utf8, _list, out var frame, out var error))
            {
                Dropped.Add(error!);
                continue;
            }

            if (_list.TryApply(frame))
            {
                if (frame.Type == PbxMessageType.UserInfo)
                {
                    foreach (var monitor in new[] { Calls, Presence })
                    {
                        if (monitor is not null)
                        {
                            await (frame.IsDelete ? monitor.UserDeletedAsync(frame.Guid!, default) : monitor.UserListedAsync(frame.User!, default));
                        }
                    }
                }

                continue;
            }

            IUserMonitor? target = frame.Type.IsPresenceMessage() ? Presence : frame.Type.IsCallMessage() ? Calls : null;
            if (target is null)
            {
                continue;
            }

            if (!MonitorFrameReader.TryRead(utf8, frame.Type, out var monitorFrame, out error))
            {
                Dropped.Add(error!);
                continue;
            }

            if (await target.HandleAsync(monitorFrame, default) is { } dropped)
            {
                Dropped.Add(dropped);
            }
        }
    }

    /// <summary>A user as the PBX lists them: <c>{"mt":"UserInfo",...}</c> with a registered phone.</summary>
    public static string UserInfo(string guid, string cn, string dn, string e164, int channel = 0, int alert = 0, bool update = false) =>
        $$"""{"api":"RCC","mt":"UserInfo","src":"blf",{{(update ? "\"update\":\"upd\"," : "")}}"guid":"{{guid}}","cn":"{{cn}}","dn":"{{dn}}","e164":"{{e164}}","h323":"{{cn}}","regs":[{"hw":"x"}]{{(channel > 0 ? $",\"channel\":{channel}" : "")}}{{(alert > 0 ? $",\"alert\":{alert}" : "")}}}""";

    public const string InitializeResult = """{"api":"RCC","mt":"InitializeResult","src":"blf"}""";

    public void Dispose() => Presence?.Dispose();
}
