using System.Globalization;

namespace LeadHandoff.Bench;

/// Reads the service's resident memory every 100 ms from /proc/P/status (VmRSS) and keeps the peak. CPU times come
/// from /proc/P/stat (utime + stime), the whole machine's from /proc/stat, all in clock ticks (USER_HZ, 100 on Linux).
internal sealed class ProcessSampler(int pid, TimeProvider time) : IAsyncDisposable
{
    private const double TicksPerSecond = 100;

    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _peakKb;
    private long _lastKb;

    public int Pid { get; } = pid;

    public double PeakRssMb => Interlocked.Read(ref _peakKb) / 1024.0;

    public double LastRssMb => Interlocked.Read(ref _lastKb) / 1024.0;

    public void Start()
    {
        Sample();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    Sample();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private void Sample()
    {
        var kb = ReadRssKb(Pid);
        if (kb <= 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lastKb, kb);
        if (kb > Interlocked.Read(ref _peakKb))
        {
            Interlocked.Exchange(ref _peakKb, kb);
        }
    }

    private static long ReadRssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process ended between two samples.
        }

        return -1;
    }

    /// CPU seconds the process used so far (user + system), or NaN when it cannot be read.
    public static double CpuSeconds(int pid) => ReadStat(pid) is { } stat ? stat.CpuSeconds : double.NaN;

    /// The process, its live children (PostgreSQL runs one backend process per connection) and the children it
    /// already reaped (cutime + cstime), so a child that exits between two readings keeps its share.
    public static double CpuSecondsWithChildren(int pid)
    {
        if (ReadStat(pid) is not { } parent)
        {
            return double.NaN;
        }

        var total = parent.CpuSeconds + parent.ReapedChildrenCpuSeconds;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && ReadStat(child) is { } stat && stat.ParentPid == pid)
            {
                total += stat.CpuSeconds;
            }
        }

        return total;
    }

    private static (int ParentPid, double CpuSeconds, double ReapedChildrenCpuSeconds)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // After "pid (comm) ": state is field 3 of proc(5), ppid 4, utime 14, stime 15, cutime 16, cstime 17.
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return (
                (int)Field(4),
                (Field(14) + Field(15)) / TicksPerSecond,
                (Field(16) + Field(17)) / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// Busy and total CPU seconds of the whole machine (all cores), from the first line of /proc/stat.
    public static (double Busy, double Total) MachineCpuSeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = values.Sum();
            var idle = values[3] + values[4];
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return (double.NaN, double.NaN);
        }
    }
}
