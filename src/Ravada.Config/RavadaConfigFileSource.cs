using Microsoft.Extensions.Configuration;

namespace Ravada.Config;

/// <summary>The configuration source of one <c>/etc/ravada.conf</c>.</summary>
internal sealed class RavadaConfigFileSource(string path, bool optional) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RavadaConfigFileProvider(path, optional);
}

/// <summary>Reads and checks the file once, when the configuration is built; it is not watched for changes.</summary>
internal sealed class RavadaConfigFileProvider(string path, bool optional) : ConfigurationProvider
{
    public override void Load() => Data = Read(path, optional);

    /// <summary>The flat keys of the file at <paramref name="path"/>; every default when it is absent and <paramref name="optional"/>.</summary>
    public static Dictionary<string, string?> Read(string path, bool optional)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            if (optional)
            {
                return ConfigFileParser.Defaults(path);
            }

            throw new RavadaConfigurationException(path, "no such file", innerException: exception);
        }
        catch (UnauthorizedAccessException exception) when (Directory.Exists(path))
        {
            throw new RavadaConfigurationException(path, "is a directory, not a configuration file", innerException: exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new RavadaConfigurationException(
                path,
                $"cannot be read by user '{Environment.UserName}' (permission denied); rvd_front's user needs its group to read it: chgrp ravada {path}; chmod g+r {path}",
                innerException: exception);
        }
        catch (IOException exception)
        {
            throw new RavadaConfigurationException(path, $"cannot be read: {exception.Message}", innerException: exception);
        }

        return ConfigFileParser.Parse(text, path);
    }
}
