namespace Ravada.TestSupport;

/// <summary>What every test bed does when it starts.</summary>
public static class Beds
{
    /// <summary>
    /// Runs <paramref name="setUp"/>; if it fails half-way, runs <paramref name="tearDown"/> at once, so nothing of a
    /// half-made bed stays in libvirt or on disk, and rethrows (with the tear-down's failure too, if any).
    /// </summary>
    public static async Task SetUpOrTearDownAsync(string bed, Func<Task> setUp, Func<ValueTask> tearDown)
    {
        ArgumentNullException.ThrowIfNull(setUp);
        ArgumentNullException.ThrowIfNull(tearDown);
        try
        {
            await setUp();
        }
        catch (Exception failure)
        {
            try
            {
                await tearDown();
            }
            catch (Exception cleanup)
            {
                throw new AggregateException($"The {bed} failed to start, and taking it down failed too", failure, cleanup);
            }

            throw;
        }
    }
}
