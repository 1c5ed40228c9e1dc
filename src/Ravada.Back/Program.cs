using Ravada.Back;

return await BackCommandLine.Build().Parse(args).InvokeAsync();
