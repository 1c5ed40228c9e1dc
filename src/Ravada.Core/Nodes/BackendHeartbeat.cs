using System.Globalization;

namespace Ravada.Core.Nodes;

/// <summary>
/// rvd_back writes the time into a setting every few seconds; the portal reads it to tell users at once
/// when nobody is there to work on their requests.
/// </summary>
public static class BackendHeartbeat
{
    /// <summary>The setting that holds the last beat (Unix milliseconds).</summary>
    public const string Setting = "backend_heartbeat";

    /// <summary>How often rvd_back beats.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>After this long without a beat, the back end counts as stopped.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    /// <summary>Records a beat.</summary>
    public static Task BeatAsync(ISettingsStore settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.SetAsync(Setting, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>Whether the last beat is recent enough at <paramref name="now"/>.</summary>
    public static async Task<bool> IsAliveAsync(ISettingsStore settings, DateTimeOffset now, CancellationToken cancellationToken) =>
        await LastBeatAsync(settings, cancellationToken) is { } beat && now - beat < Timeout;

    /// <summary>When rvd_back last beat, or null when it never did in this database.</summary>
    public static async Task<DateTimeOffset?> LastBeatAsync(ISettingsStore settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var value = await settings.GetAsync(Setting, cancellationToken);
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }
}
