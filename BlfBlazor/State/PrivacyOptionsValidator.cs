using Microsoft.Extensions.Options;

namespace BlfBlazor.State;

/// <summary>Stops start-up naming the key when <c>Blf:ShowObjects</c> cannot be what an admin meant.</summary>
internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    /// <summary>The PBX's object types are short words (<c>executive</c>, <c>waiting</c>, <c>trunk</c>, …); there are a few dozen.</summary>
    public const int MaxTypes = 32;

    public const int MaxTypeLength = 32;

    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        if (options.ShowObjects is not { } types)
        {
            return ValidateOptionsResult.Success;
        }

        if (types.Length > MaxTypes)
        {
            return ValidateOptionsResult.Fail($"Blf:ShowObjects names {types.Length} object types; at most {MaxTypes}.");
        }

        foreach (var type in types)
        {
            if (string.IsNullOrWhiteSpace(type) || type.Length > MaxTypeLength || !type.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return ValidateOptionsResult.Fail($"Blf:ShowObjects '{type}' is no PBX object type: use words such as executive, waiting or trunk (letters, digits, '-' and '_', at most {MaxTypeLength}).");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
