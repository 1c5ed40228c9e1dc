namespace Ravada.Data;

/// <summary>Timestamps are stored as BIGINT milliseconds since 1970-01-01 UTC, the same on every database.</summary>
internal static class EpochTime
{
    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToMilliseconds(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static DateTimeOffset? FromMilliseconds(long? milliseconds) =>
        milliseconds is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>Now, as stored: to the millisecond.</summary>
    public static long Now(TimeProvider timeProvider) => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
