using Ravada.Back;

var parse = BackCommandLine.Build().Parse(args);
if (parse.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"rvd_back: {parse.Errors[0].Message} (see rvd_back --help)");
    return BackCommandLine.Usage;
}

return await parse.InvokeAsync();
