using System.Data.Common;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Store;

/// <summary>Stops start-up naming the key when the store's settings cannot work, before any PBX traffic.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public const int MaxPendingWritesLimit = 1_000_000;

    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        if (options.MaxPendingWrites is < 1 or > MaxPendingWritesLimit)
        {
            return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:{nameof(StoreOptions.MaxPendingWrites)} is {options.MaxPendingWrites}; use 1 to {MaxPendingWritesLimit}.");
        }

        if (options.Provider == StoreProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)} is PostgreSql but {StoreOptions.ConnectionStringKey} is empty: name the database (Host=…;Database=…;Username=…).");
        }

        try
        {
            // Only the syntax: whether the database answers is the store service's business, never start-up's.
            _ = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{StoreOptions.ConnectionStringKey} is no connection string ({ex.Message}).");
        }

        return ValidateOptionsResult.Success;
    }
}
