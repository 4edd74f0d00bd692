using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BlfBlazor.Diagnostics;

/// <summary>
/// The current values of this app's own instruments (sums for counters, the last reading for
/// gauges), for the opt-in <c>/diagnostics/counters</c> endpoint that the benchmark reads.
/// </summary>
internal sealed class CounterSnapshot : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public CounterSnapshot(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only meters of this app instance (several may share a process in tests).
            if (instrument.Meter.Name == BlfMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _values.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            // One number per name: a gauge with one reading per tag (the connection state) has none.
            if (tags.IsEmpty)
            {
                _values[instrument.Name] = value;
            }
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> Read()
    {
        _listener.RecordObservableInstruments();
        return new SortedDictionary<string, long>(_values, StringComparer.Ordinal);
    }

    public void Dispose() => _listener.Dispose();
}
