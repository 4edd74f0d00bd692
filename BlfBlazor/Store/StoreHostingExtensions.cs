using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Store;

public static class StoreHostingExtensions
{
    /// <summary>
    /// The store: validated options, the context factory for the chosen provider, the write queue, the
    /// service that migrates and writes, and on PostgreSQL the listener that hears the other instances'
    /// changes to <see cref="ISharedInStore"/> parts (register those as both <see cref="IKeptInStore"/>
    /// and <see cref="ISharedInStore"/>). Nothing here touches the database at start-up: a store that
    /// cannot be reached must not keep the board from starting.
    /// </summary>
    public static WebApplicationBuilder AddBlfStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.SectionName))
            .PostConfigure(options => options.ConnectionString = builder.Configuration.GetConnectionString(StoreOptions.ConnectionStringName) is { Length: > 0 } configured
                ? configured
                : options.Provider == StoreProvider.Sqlite ? DefaultSqlite(options.StateFolder ?? builder.Environment.ContentRootPath)
                : "") // PostgreSQL has no default: the validator names the missing key
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();

        builder.Services.AddDbContextFactory<BlfStore>((services, context) =>
        {
            var options = services.GetRequiredService<IOptions<StoreOptions>>().Value;
            if (options.Provider == StoreProvider.PostgreSql)
            {
                context.UseNpgsql(options.ConnectionString);
            }
            else
            {
                // The default file's folder may not exist yet on a fresh install.
                if (new SqliteConnectionStringBuilder(options.ConnectionString).DataSource is { Length: > 0 } file
                    && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                context.UseSqlite(options.ConnectionString);
            }

            // The migrations are written by hand without a model snapshot (one set for both providers,
            // docs/architecture.md); the store tests prove they create what the model uses.
            context.ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning));
        });

        builder.Services.AddSingleton<StoreStatus>();
        builder.Services.AddSingleton<StoreWrites>();
        builder.Services.AddSingleton<StoreChangeNotices>();
        builder.Services.AddHostedService<StoreService>();

        // Only a shared store has other instances to hear. Parsed as the options binder parses it; a
        // wrong value is named by the binder at start.
        if (Enum.TryParse<StoreProvider>(builder.Configuration[$"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)}"], ignoreCase: true, out var provider)
            && provider == StoreProvider.PostgreSql)
        {
            builder.Services.AddHostedService<StoreChangeListener>();
        }

        return builder;
    }

    private static string DefaultSqlite(string folder) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, StoreOptions.DefaultFileName) }.ToString();
}
