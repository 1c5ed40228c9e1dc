using System.CommandLine;
using Ravada.Back;

var parse = BackCommandLine.Build().Parse(args);
if (parse.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"rvd_back: {parse.Errors[0].Message} (see rvd_back --help)");
    return BackCommandLine.Usage;
}

// The daemon's host handles SIGTERM itself (requests in flight get their grace period): System.CommandLine
// must not kill the process after its own short timeout.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
