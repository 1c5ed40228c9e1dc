namespace Ravada.Config.Tests.Support;

/// <summary>The repository's documents copied next to the test binaries (see the project file).</summary>
internal static class Documents
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Documents", name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));
}
