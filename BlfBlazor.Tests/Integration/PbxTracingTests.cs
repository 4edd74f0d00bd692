using System.Diagnostics;
using System.Threading.Channels;
using BlfBlazor.Diagnostics;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>A trace of the PBX connection shows where a start or a resync spent its time.</summary>
[Trait("Category", "Integration")]
public sealed class PbxTracingTests : IAsyncLifetime
{
    private const int Users = 30;
    private readonly BoardTestHost _host = new(Users, seed: 19);
    private readonly Channel<Activity> _stopped = Channel.CreateUnbounded<Activity>();
    private readonly ActivityListener _listener;

    public PbxTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PbxTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Writer.TryWrite(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public async Task A_session_is_one_span_with_connect_login_and_initial_list_in_order()
    {
        // The session span ends with its connection; other apps in this process trace too, so
        // ours is the one that talked to this test's PBX.
        _host.Pbx.DropConnections();
        var spans = new List<Activity>();
        Activity? session = null;
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (session is null)
        {
            var span = await _stopped.Reader.ReadAsync(timeout.Token);
            spans.Add(span);
            if (span.OperationName == "pbx.session" && Equals(span.GetTagItem("server.port"), _host.Simulator.WebSocketUrl.Port))
            {
                session = span;
            }
        }

        var children = spans.Where(span => span.ParentSpanId == session.SpanId).ToDictionary(span => span.OperationName);
        var (connect, login, initialList) = (children["pbx.connect"], children["pbx.login"], children["pbx.initial_list"]);
        Assert.True(connect.StartTimeUtc + connect.Duration <= login.StartTimeUtc, "connect ends before the login starts");
        Assert.True(login.StartTimeUtc + login.Duration <= initialList.StartTimeUtc, "the login ends before the initial list starts");
        Assert.Equal(Users, initialList.GetTagItem("blf.users"));
        Assert.Equal(ActivityStatusCode.Unset, initialList.Status);
    }
}
