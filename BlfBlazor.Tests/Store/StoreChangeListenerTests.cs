using System.Text.Json;
using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlfBlazor.Tests.Store;

/// <summary>
/// Two instances of the real app on one real PostgreSQL database, each with a shared part of the
/// test's own: what one saves reaches the other by LISTEN/NOTIFY (its part reloads and has it), the
/// saving instance reloads for its own notice too (so a reload that ran before its write was saved is
/// made good), a notice that cannot be sent loses nothing,
/// and a listener whose connection the database cut listens again, reloads what it missed meanwhile
/// and hears later changes.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class StoreChangeListenerTests(PostgreSqlCluster postgres) : IAsyncDisposable
{
    private readonly BoardTestHost _host = new(users: 2, seed: 23);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_change_saved_on_one_instance_reaches_the_other_and_its_own_reload()
    {
        var (_, a, b) = await StartTwoInstancesAsync();

        // The test's part keeps in memory only what a reload read: A has its own note only by its own notice.
        Assert.True(a.Writes.Enqueue(new SaveSharedNote("from-a")));
        await b.Notes.WaitForAsync(notes => notes.Has("from-a"), "A's note on B");
        await a.Notes.WaitForAsync(notes => notes.Has("from-a"), "A's note on A, after its own notice");

        Assert.True(b.Writes.Enqueue(new SaveSharedNote("from-b")));
        var onA = await a.Notes.WaitForAsync(notes => notes.Has("from-b"), "B's note on A");
        Assert.Equal(["from-a", "from-b"], onA.Notes.Order(StringComparer.Ordinal));
        Assert.Equal("listening", await ListenerStateAsync(b.App));
    }

    [Fact]
    public async Task A_listener_cut_off_by_the_database_listens_again_reloads_what_it_missed_and_hears_later_changes()
    {
        var (database, a, b) = await StartTwoInstancesAsync();

        // A change nobody announced, as one whose notice B missed while it was not listening.
        await using (var store = TestStores.Open(StoreProvider.PostgreSql, database))
        {
            await new SaveSharedNote("unannounced").StageAsync(store, CancellationToken.None);
            await store.SaveChangesAsync();
        }

        var listener = $"blfblazor listener {b.App.Services.GetRequiredService<StoreChangeNotices>().Instance}";
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @value", listener));

        await b.Notes.WaitForAsync(notes => notes.Has("unannounced"), "the missed change on B after it listens again");
        Assert.Contains(b.App.Logs.Entries, entry => entry.Text.Contains("Not hearing the other instances' changes", StringComparison.Ordinal));

        Assert.True(a.Writes.Enqueue(new SaveSharedNote("after")));
        await b.Notes.WaitForAsync(notes => notes.Has("after"), "A's later note on B");
        Assert.Equal("listening", await ListenerStateAsync(b.App));
    }

    [Fact]
    public async Task A_notice_that_cannot_be_sent_is_logged_and_the_saved_change_is_neither_lost_nor_saved_again()
    {
        var (database, a, b) = await StartTwoInstancesAsync();
        var status = a.App.Services.GetRequiredService<StoreStatus>();
        var saved = status.Saved;

        // PostgreSQL refuses a payload of 8,000 bytes or more: the save succeeds, the notice fails.
        Assert.True(a.Writes.Enqueue(new SaveSharedNote("unsent", Part: new string('p', 8_000))));
        await status.WaitForAsync(s => s.Saved > saved, "the note saved");
        Assert.Contains(a.App.Logs.Entries, entry => entry.Text.Contains("could not tell the other instances", StringComparison.Ordinal));
        Assert.Equal((saved + 1, 0, "ok"), (status.Saved, status.Pending, status.State));
        await using (var store = TestStores.Open(StoreProvider.PostgreSql, database))
        {
            Assert.True(await store.LastCalls.AnyAsync(row => row.UserGuid == SharedNotes.Prefix + "unsent"));
        }

        // The writer went on: the next change is saved and announced, and B reloads both.
        Assert.True(a.Writes.Enqueue(new SaveSharedNote("next")));
        var onB = await b.Notes.WaitForAsync(notes => notes.Has("next"), "A's next note on B");
        Assert.True(onB.Has("unsent"));
    }

    [Fact]
    public async Task Notices_that_are_malformed_or_name_no_part_here_are_logged_and_dropped()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var b = await StartInstanceAsync(database);
        var reloads = b.Notes.Current.Reloads;

        // Sent one after the other, so they arrive in this order: the last one is a proper notice from another instance.
        foreach (var payload in new[] { "no instance", "favourites-of-a-later-version:0123456789ab", "notes:0123456789ab" })
        {
            await ScalarAsync(database, "SELECT pg_notify('blf_store', @value)", payload);
        }

        await b.Notes.WaitForAsync(notes => notes.Reloads > reloads, "the reload for the proper notice");
        Assert.Equal(reloads + 1, b.Notes.Current.Reloads);
        Assert.Contains(b.App.Logs.Entries, entry => entry.Text.Contains("not part:instance", StringComparison.Ordinal));
        Assert.Contains(b.App.Logs.Entries, entry => entry.Text.Contains("does not have (favourites-of-a-later-version)", StringComparison.Ordinal));
        Assert.Equal("listening", await ListenerStateAsync(b.App));
    }

    /// <summary>Two instances on a new database, started one after the other (one migrates the empty database).</summary>
    private async Task<(string Database, Instance A, Instance B)> StartTwoInstancesAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var a = await StartInstanceAsync(database);
        return (database, a, await StartInstanceAsync(database));
    }

    /// <summary>An app on the database with the test's shared part, listening, with its first reload done.</summary>
    private async Task<Instance> StartInstanceAsync(string database)
    {
        var app = _host.StartApp(
            new Dictionary<string, string?> { ["Blf:Store:Provider"] = "PostgreSql", ["ConnectionStrings:Blf"] = database },
            services: services =>
            {
                services.AddSingleton<SharedNotes>();
                services.AddSingleton<IKeptInStore>(s => s.GetRequiredService<SharedNotes>());
                services.AddSingleton<ISharedInStore>(s => s.GetRequiredService<SharedNotes>());
            });
        var instance = new Instance(app, app.Services.GetRequiredService<SharedNotes>(), app.Services.GetRequiredService<StoreWrites>());

        await app.Services.GetRequiredService<StoreStatus>().WaitForAsync(s => s.IsAvailable && s.Listener == "listening", "the store migrated and listened to");
        await instance.Notes.WaitForAsync(notes => notes.Reloads > 0, "the reload after listening");
        return instance;
    }

    /// <summary>Runs one statement with one parameter (<c>@value</c>) as the database's superuser, as an administrator would.</summary>
    private static async Task<object?> ScalarAsync(string database, string sql, string value)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("value", value);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<string?> ListenerStateAsync(BoardApp app)
    {
        using var http = app.CreateHttpClient();
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("store").GetProperty("listener").GetString();
    }

    private sealed record Instance(BoardApp App, SharedNotes Notes, StoreWrites Writes);
}

/// <summary>
/// A shared part for the tests only: short notes, kept as rows of <c>LastCalls</c> whose key has a
/// prefix (the model has no table of its own for them), reloaded whole.
/// </summary>
internal sealed class SharedNotes : ISharedInStore
{
    public const string Prefix = "shared-note:";

    private readonly ChangeSubscribers _changes = new();
    private volatile NotesSeen _current = new(new HashSet<string>(), 0);

    public string Part => "notes";

    public NotesSeen Current => _current;

    public Task<NotesSeen> WaitForAsync(Func<NotesSeen, bool> condition, string what) =>
        DirectoryWaits.WaitAsync(_changes.Subscribe, () => Current, condition, seen => $"Gave up waiting for {what}: {seen.Reloads} reloads, notes {string.Join(", ", seen.Notes)}.");

    public Task RestoreAsync(BlfStore store, CancellationToken cancellationToken) => ReadAsync(store, countAsReload: false, cancellationToken);

    public Task ReloadAsync(BlfStore store, CancellationToken cancellationToken) => ReadAsync(store, countAsReload: true, cancellationToken);

    public Task PruneAsync(BlfStore store, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReadAsync(BlfStore store, bool countAsReload, CancellationToken cancellationToken)
    {
        var keys = await store.LastCalls.Where(row => row.UserGuid.StartsWith(Prefix)).Select(row => row.UserGuid).ToListAsync(cancellationToken);
        _current = new NotesSeen(keys.Select(key => key[Prefix.Length..]).ToHashSet(StringComparer.Ordinal), _current.Reloads + (countAsReload ? 1 : 0));
        _changes.Notify();
    }
}

internal sealed record NotesSeen(IReadOnlySet<string> Notes, int Reloads)
{
    public bool Has(string note) => Notes.Contains(note);
}

/// <summary>Adds a note to <see cref="SharedNotes"/> (announced as a change to <paramref name="Part"/>); adding it again changes nothing.</summary>
internal sealed record SaveSharedNote(string Note, string Part = "notes") : StoreWrite
{
    public override string? SharedPart => Part;

    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var key = SharedNotes.Prefix + Note;
        if (await store.LastCalls.FindAsync([key], cancellationToken) is null)
        {
            store.LastCalls.Add(new LastCallRow { UserGuid = key, AtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        }
    }
}
