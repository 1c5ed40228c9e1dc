using Ravada.Front;

return await FrontHost.RunAsync(args);

/// <summary>The entry point, named so that tests can start the portal with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
