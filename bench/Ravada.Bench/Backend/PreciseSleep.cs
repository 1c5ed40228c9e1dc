using System.Runtime.InteropServices;

namespace Ravada.Bench.Backend;

/// <summary>
/// Sleeps for sub-millisecond intervals. .NET's timers (Task.Delay, PeriodicTimer) tick with the kernel's coarse
/// clock, every 4 ms on a 250 Hz kernel, which is too coarse to observe a request that takes a few milliseconds;
/// <c>clock_nanosleep</c> on the monotonic clock wakes within tens of microseconds. It blocks the calling thread.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int InterruptedBySignal = 4;

    /// <summary>Blocks the calling thread for <paramref name="interval"/> (shorter than a second).</summary>
    public static void For(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(interval, TimeSpan.FromSeconds(1));
        var request = new Timespec(0, interval.Ticks * 100);
        while (true)
        {
            var error = clock_nanosleep(ClockMonotonic, 0, request, out var remaining);
            if (error != InterruptedBySignal)
            {
                return;
            }

            request = remaining;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int clock_nanosleep(int clockId, int flags, in Timespec request, out Timespec remaining);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);
}
