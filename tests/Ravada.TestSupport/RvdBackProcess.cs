namespace Ravada.TestSupport;

/// <summary>The real rvd_back program (rvd_back.dll beside the test binaries).</summary>
public static class RvdBackProcess
{
    public const string Assembly = "rvd_back.dll";

    public static DotnetProcess Start(params string[] arguments) => DotnetProcess.Start(Assembly, standardInput: null, arguments);

    public static DotnetProcess StartWithInput(string? standardInput, params string[] arguments) => DotnetProcess.Start(Assembly, standardInput, arguments);

    public static Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments) => DotnetProcess.RunToEndAsync(Assembly, standardInput: null, arguments);

    public static Task<(int ExitCode, string Output)> RunWithInputAsync(string? standardInput, params string[] arguments) =>
        DotnetProcess.RunToEndAsync(Assembly, standardInput, arguments);
}
