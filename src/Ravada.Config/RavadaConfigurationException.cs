namespace Ravada.Config;

/// <summary>
/// <c>/etc/ravada.conf</c> cannot be used: it is missing, unreadable, not YAML, or holds an unknown key or a
/// wrong value. The message is one line that names the file and the key, fit to print as the daemon stops.
/// </summary>
public sealed class RavadaConfigurationException : Exception
{
    /// <summary>Creates the exception for a problem in <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The configuration file.</param>
    /// <param name="problem">What is wrong, naming the key where there is one.</param>
    /// <param name="key">The key at fault (<c>section.key</c>), when there is one.</param>
    /// <param name="line">The line of the file at fault, when known.</param>
    /// <param name="innerException">The failure underneath, if any.</param>
    public RavadaConfigurationException(string filePath, string problem, string? key = null, int? line = null, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Key = key;
        Line = line;
    }

    /// <summary>Creates an exception about no particular file.</summary>
    public RavadaConfigurationException() : this("the Ravada configuration is not valid") { }

    /// <summary>Creates an exception about no particular file.</summary>
    public RavadaConfigurationException(string message) : this(message, (Exception?)null) { }

    /// <summary>Creates an exception about no particular file.</summary>
    public RavadaConfigurationException(string message, Exception? innerException) : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>The configuration file, or empty when the problem concerns no particular file.</summary>
    public string FilePath { get; }

    /// <summary>The key at fault (<c>db.port</c>, <c>network</c>), when there is one.</summary>
    public string? Key { get; }

    /// <summary>The line of the file at fault (1-based), when known.</summary>
    public int? Line { get; }
}
