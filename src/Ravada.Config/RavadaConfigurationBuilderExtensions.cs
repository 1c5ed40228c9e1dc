using Microsoft.Extensions.Configuration;

namespace Ravada.Config;

/// <summary>Adds <c>/etc/ravada.conf</c> to a configuration builder.</summary>
public static class RavadaConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds the Ravada configuration file at <paramref name="path"/>: YAML checked against
    /// <see cref="RavadaConfigSchema"/> when the configuration is built, which throws
    /// <see cref="RavadaConfigurationException"/> on any problem.
    /// </summary>
    /// <remarks>
    /// The source gives every schema key a value, its default when the file does not set it. Add it before the
    /// sources meant to override it (environment variables, the command line): whatever is added before it is hidden.
    /// </remarks>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="path">The file, usually <see cref="RavadaConfiguration.DefaultPath"/>.</param>
    /// <param name="optional">When true, an absent file means every default; when false, it is an error naming the path.</param>
    public static IConfigurationBuilder AddRavadaConfigFile(this IConfigurationBuilder builder, string path, bool optional)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.Add(new RavadaConfigFileSource(path, optional));
    }
}
