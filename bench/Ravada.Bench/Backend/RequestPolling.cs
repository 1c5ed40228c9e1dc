using System.Diagnostics;
using Ravada.Core.Requests;

namespace Ravada.Bench.Backend;

/// <summary>
/// Watches a request as a client does: reads its row again and again, <see cref="PreciseSleep"/> apart, until it
/// has finished. Counts the reads, so that the report can say how often the row was read.
/// </summary>
internal sealed class RequestPolling(IRequestQueue queue, TimeSpan interval)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private long reads;
    private double readingMicroseconds;

    /// <summary>The sleep between two reads.</summary>
    public TimeSpan Interval => interval;

    /// <summary>How long, on average, from one read of the row to the next (the sleep plus the read itself).</summary>
    public double MeanReadPeriodMicroseconds => reads == 0 ? 0 : readingMicroseconds / reads;

    /// <summary>Reads request <paramref name="requestId"/> until it has finished; returns the finished row.</summary>
    public async Task<Request> WaitUntilFinishedAsync(long requestId, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var count = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                count++;
                var request = await queue.FindAsync(requestId, cancellationToken)
                    ?? throw new BenchmarkException($"request {requestId} vanished from the queue");
                if (request.IsFinished)
                {
                    return request;
                }

                if (Stopwatch.GetElapsedTime(start) > Timeout)
                {
                    throw new BenchmarkException($"request {requestId} {request.Command} is still {request.Status} after {Timeout.TotalMinutes:0} minutes");
                }

                PreciseSleep.For(interval);
            }
        }
        finally
        {
            reads += count;
            readingMicroseconds += LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        }
    }
}
