using System.Diagnostics;

namespace LeadHandoff.Bench;

/// Exact percentiles from every recorded value: one slot per sample, sorted once at the end. At the sizes of a
/// bench run (tens of thousands) this is cheaper and simpler than a histogram, and has no bucket error.
internal sealed class Latencies(int capacity)
{
    private readonly long[] _values = new long[capacity];
    private int _count;

    public int Count => _count;

    /// Thread-safe: each caller claims its own slot.
    public void Record(long value)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _values.Length)
        {
            _values[slot] = value;
        }
    }

    public Summary Summarize(double unitsPerMillisecond)
    {
        var n = Math.Min(_count, _values.Length);
        if (n == 0)
        {
            return Summary.Empty;
        }

        var sorted = _values[..n];
        Array.Sort(sorted);
        double At(double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * n) - 1, 0, n - 1)] / unitsPerMillisecond;
        return new Summary(n, At(0.50), At(0.90), At(0.99), sorted[n - 1] / unitsPerMillisecond);
    }

    public static double StopwatchTicksPerMillisecond => Stopwatch.Frequency / 1000.0;

    public sealed record Summary(int Count, double P50, double P90, double P99, double Max)
    {
        public static readonly Summary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN);
    }
}
