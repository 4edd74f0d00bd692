using System.Net;
using BlfBlazor.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components;

/// <summary>The <c>Blf:Limits</c> section: how many open boards (circuits) an instance carries.</summary>
public sealed class CircuitLimitOptions
{
    public const string SectionName = "Blf:Limits";

    /// <summary>
    /// Circuits from one client address. A wall of screens behind one NAT address is a few dozen boards;
    /// one page opening more is not a person.
    /// </summary>
    public int CircuitsPerClient { get; set; } = 50;

    /// <summary>Circuits in all: what one instance carries on 2 cores (docs/benchmark.md: about 500 to 1,000 boards).</summary>
    public int Circuits { get; set; } = 1000;
}

internal sealed class CircuitLimitOptionsValidator : IValidateOptions<CircuitLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, CircuitLimitOptions options)
    {
        var failures = new List<string>();
        if (options.CircuitsPerClient < 1)
        {
            failures.Add($"{CircuitLimitOptions.SectionName}:{nameof(CircuitLimitOptions.CircuitsPerClient)} must be at least 1 (is {options.CircuitsPerClient}).");
        }

        if (options.Circuits < 1)
        {
            failures.Add($"{CircuitLimitOptions.SectionName}:{nameof(CircuitLimitOptions.Circuits)} must be at least 1 (is {options.Circuits}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Counts the instance's connected circuits (open boards), per client address and in all, and refuses a
/// circuit beyond either cap (<see cref="CircuitCapFilter"/>). Circuits kept for a page that went away are
/// bounded apart from these, by the retained-circuit limit (<c>BoardHostingExtensions.MaxRetainedCircuits</c>).
/// </summary>
public sealed partial class CircuitLimits(IOptions<CircuitLimitOptions> options, TimeProvider timeProvider, ILogger<CircuitLimits> logger)
{
    private readonly CircuitLimitOptions _options = options.Value;
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly LogThrottle _refusalLog = new(timeProvider, TimeSpan.FromSeconds(10));
    private int _total;

    /// <summary>Circuits counted now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>True when a new circuit from <paramref name="client"/> would be refused now (the page says so at once).</summary>
    public bool IsFull(IPAddress? client)
    {
        lock (_gate)
        {
            return _total >= _options.Circuits || _perClient.GetValueOrDefault(Key(client)) >= _options.CircuitsPerClient;
        }
    }

    internal Slot? TryTake(IPAddress? client)
    {
        var key = Key(client);
        lock (_gate)
        {
            var fromClient = _perClient.GetValueOrDefault(key);
            if (_total < _options.Circuits && fromClient < _options.CircuitsPerClient)
            {
                _perClient[key] = fromClient + 1;
                _total++;
                return new Slot(this, key);
            }

            if (_refusalLog.ShouldLog(out var suppressed))
            {
                Log.Refused(logger, key, fromClient, _total, _options.CircuitsPerClient, _options.Circuits, suppressed);
            }

            return null;
        }
    }

    private void Give(string key)
    {
        lock (_gate)
        {
            _total--;
            if (--_perClient[key] == 0)
            {
                _perClient.Remove(key);
            }
        }
    }

    private static string Key(IPAddress? client) => client?.ToString() ?? "unknown";

    /// <summary>One circuit's place in the counts; given back once.</summary>
    internal sealed class Slot(CircuitLimits limits, string key)
    {
        private int _given;

        public void Give()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                limits.Give(key);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a circuit for {Client}: {FromClient} open from it (Blf:Limits:CircuitsPerClient {PerClient}), {Total} in all (Blf:Limits:Circuits {Cap}); {Suppressed} more refused since the last line")]
        public static partial void Refused(ILogger logger, string client, int fromClient, int total, int perClient, int cap, int suppressed);
    }
}

/// <summary>
/// Takes a slot for the circuit a board's connection asks for (started, resumed or reconnected to) and
/// refuses it (no circuit) when there is none; the slot is given back when the connection closes.
/// </summary>
internal sealed class CircuitCapFilter(CircuitLimits limits) : IHubFilter
{
    private static readonly object s_slotKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connection = invocationContext.Context;
        if (invocationContext.HubMethodName is not ("StartCircuit" or "ResumeCircuit" or "ConnectCircuit") || connection.Items.ContainsKey(s_slotKey))
        {
            return await next(invocationContext);
        }

        // Behind a proxy this is the client's address once forwarded headers are applied.
        if (limits.TryTake(connection.GetHttpContext()?.Connection.RemoteIpAddress) is not { } slot)
        {
            // What the client reads as "no circuit": no id to start or resume, false to reconnect.
            return invocationContext.HubMethodName == "ConnectCircuit" ? false : null;
        }

        connection.Items[s_slotKey] = slot;
        var result = await next(invocationContext);
        if (result is null or false)
        {
            connection.Items.Remove(s_slotKey);
            slot.Give();
        }

        return result;
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.Remove(s_slotKey, out var slot))
        {
            ((CircuitLimits.Slot)slot!).Give();
        }

        await next(context, exception);
    }
}
