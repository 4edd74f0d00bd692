using Microsoft.Extensions.Options;

namespace BlfBlazor.State;

/// <summary>The <c>Blf:Queues</c> configuration section: how the queue cards judge a wait.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Blf:Queues";

    public const int DefaultAlertSeconds = 60;

    /// <summary>A queue whose longest wait passes this many seconds is marked on its card.</summary>
    public int AlertSeconds { get; set; } = DefaultAlertSeconds;
}

/// <summary>Stops start-up naming the key when <c>Blf:Queues:AlertSeconds</c> cannot be meant.</summary>
internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    /// <summary>A queue's own forwarding on no answer goes up to 900 s; an alert later than an hour alerts nobody.</summary>
    public const int MaxAlertSeconds = 3600;

    public ValidateOptionsResult Validate(string? name, QueueOptions options) =>
        options.AlertSeconds is < 1 or > MaxAlertSeconds
            ? ValidateOptionsResult.Fail($"Blf:Queues:AlertSeconds is {options.AlertSeconds}; give the seconds a caller may wait before the queue card alerts, 1 to {MaxAlertSeconds}.")
            : ValidateOptionsResult.Success;
}
