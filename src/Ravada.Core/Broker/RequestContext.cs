using System.Diagnostics;
using System.Text.Json;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>What a handler gets: the claimed request, who asked, and a way to report its phases.</summary>
public sealed class RequestContext
{
    private readonly Func<string, Task> reportPhase;
    private readonly List<(string Phase, double Milliseconds)> timings = [];
    private readonly Stopwatch phaseClock = Stopwatch.StartNew();
    private string currentPhase = "started";

    internal RequestContext(Request request, UserWithGrants user, Func<string, Task> reportPhase)
    {
        Request = request;
        User = user;
        this.reportPhase = reportPhase;
    }

    /// <summary>The request being handled.</summary>
    public Request Request { get; }

    /// <summary>The user who asked, with grants.</summary>
    public UserWithGrants User { get; }

    /// <summary>The request's arguments.</summary>
    public RequestArguments Arguments => Request.Arguments;

    /// <summary>Starts a new phase (closing the timing of the previous one) and makes it visible to the front end.</summary>
    public async Task PhaseAsync(string phase)
    {
        ClosePhase();
        currentPhase = phase;
        await reportPhase(phase);
    }

    /// <summary>The time spent per phase, as JSON, including the wait in the queue before this attempt.</summary>
    internal string TimingsJson(double queuedMilliseconds)
    {
        ClosePhase();
        var entries = new List<object> { new { phase = "queued", ms = Math.Round(queuedMilliseconds, 3) } };
        entries.AddRange(timings.Select(timing => new { phase = timing.Phase, ms = Math.Round(timing.Milliseconds, 3) }));
        return JsonSerializer.Serialize(entries);
    }

    private void ClosePhase()
    {
        if (currentPhase.Length > 0)
        {
            timings.Add((currentPhase, phaseClock.Elapsed.TotalMilliseconds));
        }

        currentPhase = string.Empty;
        phaseClock.Restart();
    }
}

/// <summary>Runs one request command.</summary>
public interface IRequestHandler
{
    /// <summary>The command it handles (<see cref="RequestCommands"/>).</summary>
    string Command { get; }

    /// <summary>
    /// Does the work, checking the user's rights first; returns the result as JSON (or null). Must be
    /// idempotent: after a crash it may run again on a request whose first attempt got half-way.
    /// </summary>
    Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken);
}
