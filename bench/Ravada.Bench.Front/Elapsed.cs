using System.Diagnostics;

namespace Ravada.Bench.Front;

/// <summary>Monotonic time stamps (<see cref="Stopwatch"/>) turned into milliseconds.</summary>
internal static class Elapsed
{
    public static long Now() => Stopwatch.GetTimestamp();

    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double MillisecondsSince(long from) => Milliseconds(from, Stopwatch.GetTimestamp());
}
