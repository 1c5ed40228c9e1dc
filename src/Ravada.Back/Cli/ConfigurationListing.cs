using Microsoft.Extensions.Configuration;
using Ravada.Config;

namespace Ravada.Back.Cli;

/// <summary>
/// <c>rvd_back --show-config</c>: every key of the schema with the value in effect, one <c>key: value</c> line each
/// (<c>~</c> when unset, lists as <c>[a, b]</c>), so that administrators and scripts read the settings as the
/// daemons do, defaults included, without parsing YAML. The database password is never shown.
/// </summary>
internal static class ConfigurationListing
{
    public static async Task WriteAsync(RavadaConfiguration ravada, string? libvirtUriOverride, TextWriter output, TextWriter errors)
    {
        foreach (var warning in ravada.Warnings)
        {
            await errors.WriteLineAsync($"rvd_back: warning: {warning}");
        }

        await output.WriteLineAsync(ravada.FileExists
            ? $"# The settings in effect: {ravada.FilePath} and the defaults."
            : $"# The settings in effect: {ravada.FilePath} does not exist, so every default.");
        foreach (var key in RavadaConfigSchema.Keys)
        {
            var value = key.Name == "libvirt.uri" && libvirtUriOverride is not null
                ? libvirtUriOverride
                : ValueOf(ravada.Configuration, key);
            await output.WriteLineAsync($"{key.Name}: {value}");
        }
    }

    private static string ValueOf(IConfiguration configuration, ConfigKey key)
    {
        if (key.Shape == ConfigKeyShape.List)
        {
            var items = configuration.GetSection(key.ConfigurationKey).GetChildren()
                .OrderBy(child => int.Parse(child.Key, System.Globalization.CultureInfo.InvariantCulture))
                .Select(child => child.Value);
            return $"[{string.Join(", ", items)}]";
        }

        var value = configuration[key.ConfigurationKey];
        return value switch
        {
            null => "~",
            _ when key.Name == "db.password" => "(hidden)",
            _ => value,
        };
    }
}
