using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>Every log line the app writes, at every level, for tests that read the log like an admin would.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    // Replaced and completed with every line, so a waiter wakes on each one.
    private TaskCompletionSource _logged = NewLogged();

    /// <summary>One log line; <paramref name="EventName"/> is the logger message's name, when it has one.</summary>
    public sealed record Entry(LogLevel Level, string Category, string? EventName, string Text);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>
    /// Waits until <paramref name="count"/> lines match: for what the app reports only in its log.
    /// The timeout only turns a hang into a failure that says how far it got.
    /// </summary>
    public async Task WaitForAsync(Func<Entry, bool> match, int count, string what)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (true)
        {
            // Taken before counting: a line logged after the count completes this very task.
            var next = Volatile.Read(ref _logged).Task;
            var matched = _entries.Count(match);
            if (matched >= count)
            {
                return;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what}: {matched} of {count} logged.");
            }
        }
    }

    public void Dispose()
    {
    }

    private static TaskCompletionSource NewLogged() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Add(Entry entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Exchange(ref _logged, NewLogged()).TrySetResult();
    }

    private sealed class CapturingLogger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured values too: a secret must not hide in a property that the text leaves out.
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            owner.Add(new Entry(logLevel, category, eventId.Name, $"{formatter(state, exception)} {properties} {exception}"));
        }
    }
}
