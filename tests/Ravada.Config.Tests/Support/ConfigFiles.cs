using Microsoft.Extensions.Configuration;

namespace Ravada.Config.Tests.Support;

/// <summary>Configuration files written to a temporary directory, removed with it.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string directory = Directory.CreateTempSubdirectory("ravada-config-tests-").FullName;

    /// <summary>A path in the directory where no file is.</summary>
    public string AbsentPath => Path.Combine(directory, "absent.conf");

    public string Write(string yaml, UnixFileMode mode = OwnerOnly)
    {
        var path = Path.Combine(directory, $"ravada-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, yaml);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public IConfigurationRoot Load(string yaml) => RavadaConfiguration.Load(Write(yaml)).Configuration;

    /// <summary>Loads a file that must be refused; returns the problem, the message without its leading "path: ".</summary>
    public string Problem(string yaml) => Refusal(yaml).Problem;

    public (RavadaConfigurationException Exception, string Problem) Refusal(string yaml)
    {
        var path = Write(yaml);
        var exception = Assert.Throws<RavadaConfigurationException>(() => RavadaConfiguration.Load(path));
        Assert.Equal(path, exception.FilePath);
        Assert.StartsWith(path + ": ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', exception.Message);
        return (exception, exception.Message[(path.Length + 2)..]);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
