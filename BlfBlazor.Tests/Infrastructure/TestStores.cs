using BlfBlazor.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>Real stores for tests: a SQLite file in a folder of its own, or a database on the run's PostgreSQL cluster.</summary>
internal static class TestStores
{
    /// <summary>A SQLite file in a new temporary folder (deleted by <see cref="SqliteFile.Dispose"/>).</summary>
    /// <summary>The settings that put an app's store on this PostgreSQL database.</summary>
    public static Dictionary<string, string?> OnPostgreSql(string database) =>
        new() { ["Blf:Store:Provider"] = "PostgreSql", ["ConnectionStrings:Blf"] = database };

    /// <summary>Waits until the app's store is migrated and hears the other instances' changes (LISTEN).</summary>
    public static Task WaitForSharedStoreAsync(BoardApp app) =>
        app.Services.GetRequiredService<StoreStatus>().WaitForAsync(s => s.IsAvailable && s.Listener == "listening", "the store migrated and listened to");

    public static SqliteFile NewSqliteFile() => new(Directory.CreateTempSubdirectory("blf-store-").FullName);

    /// <summary>A context on the store, configured as the app configures it.</summary>
    public static BlfStore Open(StoreProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<BlfStore>();
        if (provider == StoreProvider.PostgreSql)
        {
            options.UseNpgsql(connectionString);
        }
        else
        {
            options.UseSqlite(connectionString);
        }

        options.ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning));
        return new BlfStore(options.Options);
    }

    /// <summary>Waits, on the app's store notifications, until <paramref name="found"/> holds in the store; one not migrated yet, or not back yet, is "not yet".</summary>
    public static Task WaitForRowAsync(StoreStatus status, StoreProvider provider, string connectionString, Func<BlfStore, Task<bool>> found, string what) =>
        status.WaitForAsync(
            async () =>
            {
                try
                {
                    await using var store = Open(provider, connectionString);
                    return await found(store);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
                {
                    return false;
                }
            },
            what);

    /// <summary>What the store service does with a batch: stage every write in a fresh context and save.</summary>
    public static async Task SaveAsync(StoreProvider provider, string connectionString, params StoreWrite[] writes)
    {
        await using var store = Open(provider, connectionString);
        foreach (var write in writes)
        {
            await write.StageAsync(store, CancellationToken.None);
        }

        await store.SaveChangesAsync();
    }

    /// <summary>Every text value in every table of the store, read with plain SQL: what a privacy check looks through.</summary>
    public static async Task<List<string>> AllTextAsync(BlfStore store)
    {
        var texts = new List<string>();
        var connection = store.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in store.Model.GetEntityTypes().Select(type => type.GetTableName()!).Append("__EFMigrationsHistory"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    texts.Add(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }
        }

        return texts;
    }

    public sealed class SqliteFile(string folder) : IDisposable
    {
        public string Folder { get; } = folder;

        // Pooling off: the file is closed when a context is, so the folder can be deleted.
        public string ConnectionString => $"Data Source={Path.Combine(Folder, "blf.db")};Pooling=False";

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
