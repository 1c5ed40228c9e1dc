namespace Ravada.Config;

/// <summary>
/// Checks how <c>/etc/ravada.conf</c> is protected. The install guide asks for <c>chmod o-rx</c>: the file is for
/// rvd_back (root) and rvd_front (its group) only. The findings are returned for the caller to log; none stops a daemon.
/// </summary>
public static class ConfigFileCheck
{
    /// <summary>
    /// Warnings about the file at <paramref name="path"/>: none when it is absent or other users can neither read nor write it.
    /// </summary>
    /// <param name="path">The configuration file.</param>
    /// <param name="holdsDatabasePassword">Whether the file sets <c>db.password</c>, which makes a readable file a leak.</param>
    public static IReadOnlyList<string> Check(string path, bool holdsDatabasePassword)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var mode = File.GetUnixFileMode(path);
        var readable = mode.HasFlag(UnixFileMode.OtherRead);
        var writable = mode.HasFlag(UnixFileMode.OtherWrite);
        var fix = $"run chmod o-rwx {path}";
        return (readable, writable) switch
        {
            (true, true) => [$"{path} is readable and writable by other users: anyone on this host can read and change Ravada's settings; {fix}"],
            (true, false) when holdsDatabasePassword => [$"{path} is readable by other users and holds the database password; {fix}"],
            (true, false) => [$"{path} is readable by other users, who have no business reading Ravada's settings; {fix}"],
            (false, true) => [$"{path} is writable by other users: anyone on this host can change Ravada's settings; {fix}"],
            _ => [],
        };
    }
}
