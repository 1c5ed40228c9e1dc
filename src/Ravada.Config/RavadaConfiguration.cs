using Microsoft.Extensions.Configuration;

namespace Ravada.Config;

/// <summary>
/// <c>/etc/ravada.conf</c>, loaded and checked: what rvd_back and rvd_front read at start-up, before they build
/// their host. Every key of <see cref="RavadaConfigSchema"/> has a value in <see cref="Configuration"/> (its
/// default when the file does not set it); each project binds its own options from its section.
/// </summary>
public sealed class RavadaConfiguration
{
    /// <summary>Where the file is looked for when no path is given.</summary>
    public const string DefaultPath = "/etc/ravada.conf";

    private RavadaConfiguration(string filePath, bool fileExists, IConfigurationRoot configuration, IReadOnlyList<string> warnings)
    {
        FilePath = filePath;
        FileExists = fileExists;
        Configuration = configuration;
        Warnings = warnings;
    }

    /// <summary>The file read (or looked for).</summary>
    public string FilePath { get; }

    /// <summary>False when <see cref="DefaultPath"/> does not exist and every key has its default.</summary>
    public bool FileExists { get; }

    /// <summary>The flat keys: <c>db:driver</c>, <c>backend:workers_disk</c>, <c>admin_workstations:0</c>, <c>Logging:LogLevel:Default</c>, ….</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>Problems that do not stop a daemon (a file other users may read), for the caller to log.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Loads <paramref name="explicitPath"/>, which must exist, or else <see cref="DefaultPath"/> if it exists
    /// (all defaults otherwise).
    /// </summary>
    /// <exception cref="RavadaConfigurationException">The file is missing (an explicit path), unreadable or not valid.</exception>
    public static RavadaConfiguration Load(string? explicitPath)
    {
        var path = explicitPath ?? DefaultPath;
        var configuration = new ConfigurationBuilder()
            .AddRavadaConfigFile(path, optional: explicitPath is null)
            .Build();
        var fileExists = File.Exists(path);
        var warnings = fileExists ? ConfigFileCheck.Check(path, holdsDatabasePassword: configuration["db:password"] is not null) : [];
        return new RavadaConfiguration(path, fileExists, configuration, warnings);
    }
}
