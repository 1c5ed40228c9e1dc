using System.Diagnostics;
using System.Globalization;

namespace Ravada.Front;

/// <summary>
/// Adds <c>Server-Timing: app;dur=MS</c> to every answer: the time from the first middleware until the headers go
/// out (for a page, once it is rendered). Browsers' developer tools show it beside the network time; the benchmarks
/// read it to tell the portal's own time from the network's.
/// </summary>
internal sealed class ServerTiming(RequestDelegate next)
{
    public const string Header = "Server-Timing";

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
