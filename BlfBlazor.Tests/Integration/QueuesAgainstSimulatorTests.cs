using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The real app against the real simulator over loopback, in each way the reference lets a PBX report a
/// queue (PBXAPIS.md §8, 14–17): after start, after a burst of callers arriving, ringing at agents, answered,
/// taken and abandoned, and after a reconnect, every queue card equals the simulator's queue truth.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QueuesAgainstSimulatorTests : IAsyncDisposable
{
    private BoardTestHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public static TheoryData<string> Variants => ["defaults", "only-in-table", "announcement-with-waiting-bit", "agent-legs-and-cause-26", "peer-agent-no-cause"];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_card_equals_the_simulators_queues_after_start_a_burst_and_a_reconnect(string variant)
    {
        _host = new BoardTestHost(users: 10, seed: 22, objects: true, variants: VariantsOf(variant));
        await _host.StartAsync();
        var pbx = _host.Pbx;

        // Callers already waiting when the board connects: the PBX reports them to the queue's new monitor.
        pbx.StartQueueCall(UserGenerator.SupportGuid, "004930123456");
        var app = await _host.StartLiveAppAsync();
        await app.Directory.Queues.WaitForAsync(_ => app.Directory.Monitoring.Queues == 2, "both queues monitored");
        await MatchesAsync(app, pbx, "after start", figures: false);
        using (var http = app.CreateHttpClient())
        {
            Assert.Contains("\"queues\":{\"monitored\":2}", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), StringComparison.Ordinal);
        }

        // A burst: callers arrive at both queues; one is answered by an agent, one taken by a colleague, one hangs up.
        var first = pbx.StartQueueCall(UserGenerator.ReceptionGuid, "007031123456");
        var second = pbx.StartQueueCall(UserGenerator.ReceptionGuid, "00891234567");
        var third = pbx.StartQueueCall(UserGenerator.ReceptionGuid, "0221987654");
        pbx.StartQueueCall(UserGenerator.SupportGuid, "040555666");
        var fourth = pbx.StartQueueCall(UserGenerator.ReceptionGuid, "0711333444");
        Assert.NotNull(pbx.AnswerQueueCall(first.CalleeLeg));
        var picker = pbx.Users.Where(user => user.IsPerson).ElementAt(3);
        Assert.NotNull(pbx.Pickup(picker.Guid, second.CalleeLeg));
        Assert.True(pbx.AbandonQueueCall(fourth.CalleeLeg));
        await MatchesAsync(app, pbx, "after a burst", figures: true);
        Assert.Contains(third.CalleeLeg, Card(app, "Reception").Callers.Select(c => (int)c.Call));

        // A reconnect: who waits now comes again; the figures restart and the board says so.
        pbx.DropConnections();
        await app.Directory.WaitForAsync(s => s.Status.State != ConnectionState.Live, "the connection lost");
        await app.Directory.WaitForLiveAsync(users: pbx.Users.Count(user => user.IsPerson));
        await MatchesAsync(app, pbx, "after a reconnect", figures: false);
        Assert.True(app.Directory.Queues.Current.FiguresRestarted);
    }

    private static ProtocolVariants VariantsOf(string variant) => variant switch
    {
        "only-in-table" => new ProtocolVariants { QueueInUserInfo = false },
        "announcement-with-waiting-bit" => new ProtocolVariants { QueueWaitForm = QueueWaitForm.Announcement, QueueWaitingBit = true, QueuePickupConnected = true },
        "agent-legs-and-cause-26" => new ProtocolVariants { QueueAgentLegs = QueueAgentLegs.Shown, QueueAnswerEnd = QueueAnswerEnd.Cause26 },
        "peer-agent-no-cause" => new ProtocolVariants { QueueAnswerEnd = QueueAnswerEnd.PeerAgent, ElsewhereCause = ElsewhereCause.None },
        _ => new ProtocolVariants(),
    };

    private static async Task MatchesAsync(BoardApp app, SimulatedPbx pbx, string when, bool figures)
    {
        var truth = pbx.Queues; // the host's PBX runs no scenario: nothing changes it from here
        try
        {
            await app.Directory.Queues.WaitForAsync(s => Differences(s, truth, figures).Count == 0, $"the cards to match the simulator {when}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{when}:\n" + string.Join('\n', Differences(app.Directory.Queues.Current, truth, figures)));
        }
    }

    /// <summary>Where the cards and the truth differ, in words (empty when they agree).</summary>
    private static List<string> Differences(QueuesSnapshot cards, IReadOnlyList<QueueTruth> truth, bool figures)
    {
        var differences = new List<string>();
        foreach (var queue in truth)
        {
            if (cards.Queues.FirstOrDefault(card => card.Guid == queue.Guid) is not { } card)
            {
                differences.Add($"{queue.Cn}: no card");
                continue;
            }

            var want = queue.Waiting.Select(c => $"{c.Call} {c.Caller}{(c.RingingAtAgents ? " ringing" : "")}").ToList();
            var have = card.Callers.Select(c => $"{c.Call} {c.Caller?.Shown}{(c.RingingAtAgents ? " ringing" : "")}").ToList();
            if (!want.SequenceEqual(have))
            {
                differences.Add($"{queue.Cn}: waiting [{string.Join(", ", have)}], expected [{string.Join(", ", want)}]");
            }

            var hour = (card.LastHour.Offered, card.LastHour.Answered, card.LastHour.Abandoned);
            if (figures && hour != (queue.Offered, queue.Answered, queue.Abandoned))
            {
                differences.Add($"{queue.Cn}: offered/answered/abandoned {hour}, expected {(queue.Offered, queue.Answered, queue.Abandoned)}");
            }
        }

        if (cards.Queues.Length != truth.Count)
        {
            differences.Add($"{cards.Queues.Length} cards for {truth.Count} queues");
        }

        return differences;
    }

    private static WaitingQueue Card(BoardApp app, string name) => app.Directory.Queues.Current.Queues.Single(q => q.Name == name);
}
