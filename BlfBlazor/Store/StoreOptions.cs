namespace BlfBlazor.Store;

/// <summary>Which database keeps what the board remembers (<c>Blf:Store:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>A file beside the Data Protection keys; nothing to install, one instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database several instances share.</summary>
    PostgreSql,
}

/// <summary>The store: <c>Blf:Store</c> and the connection string <c>ConnectionStrings:Blf</c>.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Blf:Store";

    public const string ConnectionStringName = "Blf";

    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    /// <summary>The file name of the default SQLite store in the app's state folder.</summary>
    public const string DefaultFileName = "blf.db";

    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>
    /// Writes kept in memory while the store cannot be reached; past this they are refused with a
    /// logged message rather than growing without end.
    /// </summary>
    public int MaxPendingWrites { get; set; } = 10_000;

    /// <summary>The app's state folder (set by the hosting, beside the Data Protection keys); the default SQLite file goes there.</summary>
    public string? StateFolder { get; set; }

    /// <summary><c>ConnectionStrings:Blf</c>, or the default SQLite file when empty (filled in at start).</summary>
    public string ConnectionString { get; set; } = "";
}
