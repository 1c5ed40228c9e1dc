namespace Ravada.Back.Tests.Support;

/// <summary>A throw-away /etc/ravada.conf with its SQLite database, PID file and socket in a temporary directory.</summary>
public sealed class TemporaryConfiguration : IDisposable
{
    private TemporaryConfiguration(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, "ravada.conf");

    public static TemporaryConfiguration Create(string extraYaml = "")
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rvd-config-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var configuration = new TemporaryConfiguration(directory);
        File.WriteAllText(configuration.Path, $"""
            db:
              driver: sqlite
              file: {directory}/ravada.db
            backend:
              pid_file: {directory}/rvd_back.pid
              wakeup_socket: {directory}/wake.sock
            firewall:
              enabled: false
            {extraYaml}
            """);
        File.SetUnixFileMode(configuration.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return configuration;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
