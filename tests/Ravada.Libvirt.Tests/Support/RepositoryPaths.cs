namespace Ravada.Libvirt.Tests.Support;

internal static class RepositoryPaths
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
}
