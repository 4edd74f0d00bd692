using BlfBlazor.PbxSimulator.Core.Scenario;
using BlfBlazor.PbxSimulator.Core.Model;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>Checks the settings at start-up; messages name the configuration key, never a secret value.</summary>
internal sealed class SimulatorOptionsValidation : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        const string Section = SimulatorOptions.SectionName;

        if (string.IsNullOrEmpty(options.App))
        {
            failures.Add($"{Section}:App must not be empty.");
        }

        if (string.IsNullOrEmpty(options.Secret))
        {
            failures.Add($"{Section}:Secret must not be empty.");
        }

        if (options.Users < 0)
        {
            failures.Add($"{Section}:Users must be 0 or more (was {options.Users}).");
        }

        if (!(options.EventsPerSecond >= 0) || double.IsPositiveInfinity(options.EventsPerSecond))
        {
            failures.Add($"{Section}:EventsPerSecond must be a finite number, 0 or more (was {options.EventsPerSecond}).");
        }

        if (options.InitialBatchSize is < 1 or > 50)
        {
            failures.Add($"{Section}:InitialBatchSize must be between 1 and 50 (was {options.InitialBatchSize}).");
        }

        if (options.InitialBatchInterval < TimeSpan.Zero)
        {
            failures.Add($"{Section}:InitialBatchInterval must not be negative (was {options.InitialBatchInterval}).");
        }

        if (options.MeanTalkTime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:MeanTalkTime must be positive (was {options.MeanTalkTime}).");
        }

        if (options.NoAnswerTime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:NoAnswerTime must be positive (was {options.NoAnswerTime}).");
        }

        if (!(options.QueueCallersPerMinute >= 0) || double.IsPositiveInfinity(options.QueueCallersPerMinute))
        {
            failures.Add($"{Section}:QueueCallersPerMinute must be a finite number, 0 or more (was {options.QueueCallersPerMinute}).");
        }

        if (options.Queues is < 0 or > UserGenerator.MostQueues)
        {
            failures.Add($"{Section}:Queues must be between 0 and {UserGenerator.MostQueues} (was {options.Queues}).");
        }

        ProtocolVariants.Validate(options.Variants, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
