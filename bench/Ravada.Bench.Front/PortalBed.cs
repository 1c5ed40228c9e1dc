using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ravada.Config;
using Ravada.Core.Users;
using Ravada.Data;
using Ravada.Data.Migrations;

namespace Ravada.Bench.Front;

/// <summary>
/// A throw-away installation for rvd_front: a directory under /var/tmp named <c>rvdbench-RUNID-LABEL</c> holding a
/// ravada.conf, its SQLite database, the wake-up socket and the cookie keys, the database migrated, and the Data
/// layer's stores in this process for seeding it and for writing what rvd_back would write.
/// </summary>
internal sealed class PortalBed : IAsyncDisposable
{
    public const string Prefix = "rvdbench-";

    private readonly ServiceProvider services;

    private PortalBed(string runId, string directory, int port, ServiceProvider services)
    {
        RunId = runId;
        Directory = directory;
        Port = port;
        this.services = services;
    }

    public string RunId { get; }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "ravada.conf");

    /// <summary>rvd_front's loopback port.</summary>
    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Writes the configuration (<paramref name="backendKeys"/> are added to the <c>backend</c> section,
    /// <paramref name="otherSections"/> at the end) and migrates the database.
    /// </summary>
    public static async Task<PortalBed> CreateAsync(string runId, string label, string backendKeys, string otherSections, CancellationToken cancellationToken)
    {
        var directory = $"/var/tmp/{Prefix}{runId}-{label}";
        System.IO.Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        var port = FreeLoopbackPort();
        var configPath = Path.Combine(directory, "ravada.conf");
        var yaml = $"""
            db:
              driver: sqlite
              file: {directory}/ravada.db
            backend:
              pid_file: {directory}/rvd_back.pid
              wakeup_socket: {directory}/wake.sock
            {Indent(backendKeys)}
            frontend:
              listen_address: 127.0.0.1
              port: {port}
              data_protection_dir: {directory}/front-keys
            {otherSections}
            """;
        await File.WriteAllTextAsync(configPath, yaml, cancellationToken);
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ravada = RavadaConfiguration.Load(configPath);
        var collection = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddRavadaData(ravada.Configuration);
        var provider = collection.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(cancellationToken);
        return new PortalBed(runId, directory, port, provider);
    }

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>A user with Ravada's default grants (or an administrator) and this password.</summary>
    public async Task<User> UserAsync(string name, string passwordHash, bool admin, CancellationToken cancellationToken) =>
        await Get<IUserStore>().CreateAsync(name, passwordHash, admin, mustChangePassword: false, cancellationToken);

    /// <summary>Starts rvd_front on this configuration and waits until it listens.</summary>
    public async Task<DotnetProcess> StartFrontAsync(string rvdFrontDll, CancellationToken cancellationToken)
    {
        // ASP.NET Core's content root, where wwwroot is looked for, is the working directory.
        var front = DotnetProcess.Start(rvdFrontDll, Path.GetDirectoryName(Path.GetFullPath(rvdFrontDll))!, "--config", ConfigPath);
        try
        {
            await front.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60), cancellationToken);
            return front;
        }
        catch
        {
            await front.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string Indent(string keys) =>
        string.Join("\n", keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "  " + line.Trim()));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
