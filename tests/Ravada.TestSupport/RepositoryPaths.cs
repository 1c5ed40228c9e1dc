namespace Ravada.TestSupport;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the first ancestor of the test binaries that holds Ravada.slnx.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ravada.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Ravada.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds (when needed) the idle test guest into <paramref name="directory"/> with tests/guests/build-idle-guest.sh.</summary>
    public static Task BuildIdleGuestAsync(string directory) =>
        Processes.RunCheckedAsync(Path.Combine(Root(), "tests", "guests", "build-idle-guest.sh"), directory);
}
