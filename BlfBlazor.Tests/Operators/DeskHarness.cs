using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using BlfBlazor.Callbacks;
using BlfBlazor.Diagnostics;
using BlfBlazor.MissedCalls;
using BlfBlazor.Operators;
using BlfBlazor.Resources;
using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Operators;

/// <summary>
/// The operator desk on a connection without a socket (<see cref="PbxConnectionHarness"/>): requests it
/// sends come out as parsed JSON, in order; PBX answers go in as JSON text through the client's own
/// reader and dispatcher.
/// </summary>
internal sealed class DeskHarness : IDisposable
{
    private readonly Channel<JsonElement> _sent = Channel.CreateUnbounded<JsonElement>();
    private readonly bool _tableRefused;
    private PbxConnectionHarness? _connection;

    /// <param name="asksForDiversions">Whether the desk asks each PBX if forwarding can be set (where someone can sign in).</param>
    /// <param name="tableRefused">The PBX refuses the user table (no TableUsers right), so no forwarding could be seen.</param>
    public DeskHarness(bool asksForDiversions = true, bool tableRefused = false)
    {
        _tableRefused = tableRefused;
        Directory = new UserDirectory(Time, new PbxDescription("pbx.test", IsDemo: false));
        Desk = new OperatorDesk(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), Directory, Time, NullLogger<OperatorDesk>.Instance)
        {
            AsksForDiversions = asksForDiversions,
        };
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    /// <summary>What every connection of this harness writes, and what the desk reads its proofs from.</summary>
    public UserDirectory Directory { get; }

    public OperatorDesk Desk { get; }

    /// <summary>A connection logs in: it asks for the user list, and the desk for the handles of every phone with an open board.</summary>
    public async Task ConnectAsync()
    {
        // With the user table replicated (an empty one), as on a PBX that grants TableUsers: the desk offers
        // forwarding only where the table can show it. The table's own requests are not the desk's.
        _connection = new PbxConnectionHarness(
            Directory,
            Time,
            privacy: new PrivacyOptions { Presence = PresenceDetails.Off },
            callControls: [Desk],
            sentTo: text =>
            {
                if (!text.Contains("\"PbxTableUsers\"", StringComparison.Ordinal))
                {
                    _sent.Writer.TryWrite(JsonDocument.Parse(text).RootElement.Clone());
                }
            });
        await _connection.StartAsync();
        await _connection.FeedAsync(_tableRefused
            ? ["""{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","error":"not allowed"}"""]
            : ["""{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","columns":{"guid":{},"cds":{}}}""", """{"api":"PbxTableUsers","mt":"ReplicateNextResult","src":"tu"}"""]);
        await NextSentAsync("Initialize");
    }

    public void Disconnect() => _connection?.Dispose();

    /// <summary>The next request the desk sent, waiting for it (the desk sends from its own continuations).</summary>
    public async Task<JsonElement> NextSentAsync(string mt)
    {
        var next = await _sent.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.StateShown);
        Assert.Equal(mt, next.GetProperty("mt").GetString());
        return next;
    }

    public bool NothingSent => !_sent.Reader.TryPeek(out _);

    /// <summary>Feeds one PBX message; true when the desk took it (the connection has no call feed of its own).</summary>
    public bool Feed(string json)
    {
        var dropped = _connection!.FeedOneAsync(json);
        Assert.True(dropped.IsCompletedSuccessfully);
        return dropped.Result is null;
    }

    /// <summary>Answers the phone's UserInitialize with <paramref name="handle"/>.</summary>
    public async Task GiveHandleAsync(string cn, uint handle)
    {
        var request = await NextSentAsync("UserInitialize");
        Assert.Equal(cn, request.GetProperty("cn").GetString());
        Assert.True(Feed($$"""{"api":"RCC","mt":"UserInitializeResult","src":"{{request.GetProperty("src").GetString()}}","user":{{handle}}}"""));
    }

    /// <summary>
    /// The one door over this desk and directory: Olivia (<c>sub</c> "olivia") is the one operator, with the
    /// phone "Olivia Operator". <paramref name="services"/> gives the meters and texts; the audit goes to <paramref name="loggers"/>.
    /// </summary>
    public OperatorActions Actions(IServiceProvider services, ILoggerFactory loggers, PrivacyOptions? privacy = null)
    {
        var roster = new OperatorRoster(
            Options.Create(new OperatorOptions { Operators = [new OperatorEntry { User = "olivia", Phone = "Olivia Operator" }] }),
            Directory, NullLogger<OperatorRoster>.Instance, signInEnabled: true);
        var options = Options.Create(privacy ?? new PrivacyOptions());
        var audit = new OperatorAudit(options, new BlfMetrics(services.GetRequiredService<IMeterFactory>(), Directory, Time), Time, loggers);
        return new OperatorActions(
            roster, Desk, Directory, audit, options, Callbacks = NewCallbackBook(options), services.GetRequiredService<IStringLocalizer<ActionText>>(), Time, loggers.CreateLogger<OperatorActions>());
    }

    /// <summary>The callback book of the last <see cref="Actions"/>: messages taken go here (its store queue is never saved).</summary>
    public CallbackBook? Callbacks { get; private set; }

    private CallbackBook NewCallbackBook(IOptions<PrivacyOptions> privacy) => new(
        new StoreWrites(Options.Create(new StoreOptions()), new StoreStatus(), Time, NullLogger<StoreWrites>.Instance),
        Options.Create(new MissedCallOptions()), privacy, Directory, Time);

    public void Dispose() => _connection?.Dispose();
}
