using BlfBlazor.Callbacks;
using BlfBlazor.MissedCalls;
using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Callbacks;

/// <summary>A callback book over a real directory with Anna and Bob listed, as the app wires it; its store queue is read by the test.</summary>
internal sealed class CallbackHarness
{
    public CallbackHarness(CallDetails details = CallDetails.Full, int days = 14)
    {
        Directory = new UserDirectory(Time, new PbxDescription("pbx.test", IsDemo: false));
        Writes = new StoreWrites(Options.Create(new StoreOptions()), new StoreStatus(), Time, NullLogger<StoreWrites>.Instance);
        Book = new CallbackBook(
            Writes,
            Options.Create(new MissedCallOptions { Days = days }),
            Options.Create(new PrivacyOptions { CallDetails = details }),
            Directory,
            Time);
        IPbxStateWriter state = Directory;
        state.BeginResync();
        state.Apply(UserChange.Upsert(new PbxUserInfo("g-anna", "anna", "Anna Berger", "101", "anna", "root", "master", 1, 0, 0), isLive: false));
        state.Apply(UserChange.Upsert(new PbxUserInfo("g-bob", "bob", "Bob Baker", "102", "bob", "root", "master", 1, 0, 0), isLive: false));
        state.CompleteResync();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public UserDirectory Directory { get; }

    public StoreWrites Writes { get; }

    public CallbackBook Book { get; }

    /// <summary>The user as every board's tile shows them now.</summary>
    public PbxUser Shown(string guid) => Directory.Current.Users.Single(u => u.Guid == guid);

    /// <summary>A message for <paramref name="guid"/> from Mr Keller, taken by Olivia now.</summary>
    public Callback Message(string guid, string note = "About the invoice", CallbackUrgency urgency = CallbackUrgency.Normal) =>
        new(Guid.NewGuid().ToString("N"), guid, new CallPeer("Mr Keller", "+4971112345", IsInternal: false), note, urgency, Time.GetUtcNow().ToUnixTimeMilliseconds(), "olivia");

    /// <summary>Everything queued for the store so far.</summary>
    public List<StoreWrite> Queued()
    {
        var writes = new List<StoreWrite>();
        while (Writes.Reader.TryRead(out var write))
        {
            writes.Add(write);
        }

        return writes;
    }

    /// <summary>What the store service would do with the queue: stage every write and save.</summary>
    public async Task SaveQueuedAsync(BlfStore store)
    {
        foreach (var write in Queued())
        {
            await write.StageAsync(store, CancellationToken.None);
        }

        await store.SaveChangesAsync();
    }
}
