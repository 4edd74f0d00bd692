using System.Text.Json;
using BlfBlazor.MissedCalls;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The real app against the simulator with a real store: a call the caller gives up is kept as missed
/// in the database, within the privacy setting; it survives a restart; and a PostgreSQL that stops and
/// starts under the running app loses nothing while <c>/health/ready</c> says where the store stands.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class MissedCallsAgainstSimulatorTests(PostgreSqlCluster postgres) : IAsyncDisposable
{
    private const string Caller = "0171 2345678";

    private readonly BoardTestHost _host = new(users: 6, seed: 23);
    private readonly TestStores.SqliteFile _file = TestStores.NewSqliteFile();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _file.Dispose(); // after the apps that have it open
    }

    [Theory]
    [InlineData("Full", true)]
    [InlineData("Internal", false)]
    [InlineData("Off", false)]
    public async Task The_callers_number_reaches_the_database_only_with_full_call_details(string details, bool stored)
    {
        await _host.StartAsync();
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:CallDetails"] = details });
        var bob = _host.Pbx.Users[1];

        await AbandonedCallAsync(app, bob.Guid);
        await WaitForRowAsync(app, StoreProvider.Sqlite, SqliteOf(app), bob.Guid);

        await using var store = TestStores.Open(StoreProvider.Sqlite, SqliteOf(app));
        var text = string.Join('\n', await TestStores.AllTextAsync(store));
        Assert.Equal(stored, text.Contains("2345678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missed_calls_are_still_there_after_the_app_restarts()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Blf"] = _file.ConnectionString };
        await _host.StartAsync();
        var bob = _host.Pbx.Users[1];
        await using (var first = await _host.StartLiveAppAsync(settings))
        {
            await AbandonedCallAsync(first, bob.Guid);
            await WaitForRowAsync(first, StoreProvider.Sqlite, _file.ConnectionString, bob.Guid);
        }

        var second = await _host.StartLiveAppAsync(settings);
        var book = second.Services.GetRequiredService<MissedCallBook>();
        await second.Services.GetRequiredService<StoreStatus>().WaitForAsync(s => book.Of(bob.Guid).Calls.Count == 1, "the kept missed call back on Bob's tile");

        Assert.Equal(1, book.Of(bob.Guid).Unanswered);
    }

    [Fact]
    public async Task A_postgresql_that_stops_and_starts_under_the_running_app_loses_no_missed_call()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?>
        {
            ["Blf:Store:Provider"] = "PostgreSql",
            ["ConnectionStrings:Blf"] = database,
        });
        var status = app.Services.GetRequiredService<StoreStatus>();
        await status.WaitForAsync(s => s.IsAvailable, "the store migrated");
        Assert.Equal("ok", await StoreStateAsync(app));
        var bob = _host.Pbx.Users[1];
        await app.Directory.WaitForMonitoredAsync(_host.Pbx.Users.Count(user => user.IsPerson));

        await postgres.StopAsync();
        try
        {
            AbandonedCall(bob.Guid);
            await status.WaitForAsync(s => !s.IsAvailable, "the store found unavailable");
            Assert.Equal("unavailable", await StoreStateAsync(app));

            // The board goes on meanwhile: the next call shows on the tile.
            _host.Pbx.StartIncomingExternalCall(bob.Guid, Caller);
            await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == bob.Guid).Activity?.Calls.Count == 1, "the next call on Bob's tile");
        }
        finally
        {
            await postgres.StartAsync();
        }

        await WaitForRowAsync(app, StoreProvider.PostgreSql, database, bob.Guid);
        await status.WaitForAsync(s => s.IsAvailable, "the store back");
        Assert.Equal("ok", await StoreStateAsync(app));
    }

    /// <summary>An outside caller rings the user and gives up before anyone answers.</summary>
    /// <summary>An abandoned call once the board follows the user's calls.</summary>
    private async Task AbandonedCallAsync(BoardApp app, string guid)
    {
        await app.Directory.WaitForMonitoredAsync(_host.Pbx.Users.Count(user => user.IsPerson));
        AbandonedCall(guid);
    }

    private void AbandonedCall(string guid)
    {
        var call = _host.Pbx.StartIncomingExternalCall(guid, Caller);
        _host.Pbx.HangUp(call.CallerLeg);
    }

    private static string SqliteOf(BoardApp app) => $"Data Source={Path.Combine(app.StateFolder!, "blf.db")};Pooling=False";

    private static Task WaitForRowAsync(BoardApp app, StoreProvider provider, string connectionString, string guid) =>
        TestStores.WaitForRowAsync(app.Services.GetRequiredService<StoreStatus>(), provider, connectionString, store => store.MissedCalls.AnyAsync(row => row.UserGuid == guid), "the missed call in the store");

    private static async Task<string?> StoreStateAsync(BoardApp app)
    {
        using var http = app.CreateHttpClient();
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("store").GetProperty("state").GetString();
    }
}
