using System.Globalization;
using System.Text.RegularExpressions;

namespace Ravada.Bench;

/// <summary>
/// Removes what dead benchmark runs left behind, before a new run starts: a run killed with SIGKILL, or whose
/// clean-up met a libvirtd restarted by someone else, leaves domains, volumes, pools, networks, files or its
/// rvd_back. A run is dead when its lock file (<see cref="RunLock"/>) is there and nobody holds it. Names of runs
/// without a lock file belong to other programs that share the <c>rvdbench-</c> prefix (each with its own way of
/// cleaning up), or to runs from before the lock: they are left alone and named, and <c>./test.sh</c> removes them.
/// </summary>
internal static partial class StaleRuns
{
    /// <summary>Removes what every dead run left; tells what it removed and what it left alone.</summary>
    public static async Task PurgeAsync(RunLock current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var runIds = (await RunObjects.ListNamesAsync(RunLock.NamePrefix))
            .Select(name => RunName().Match(name))
            .Where(match => match.Success)
            .Select(match => match.Groups["id"].Value)
            .Where(id => id != current.Id)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var id in runIds)
        {
            var lockPath = RunLock.LockPathOf(id);
            if (!File.Exists(lockPath))
            {
                BenchmarkRun.Progress($"{RunLock.NamePrefix}{id}-… has no run lock ({lockPath}): not a run of this program, or from before run locks; left alone");
                continue;
            }

            // Held while the purge runs, so that the dead run's id is not taken again meanwhile.
            using var heldLock = RunLock.TryHold(lockPath);
            if (heldLock is null)
            {
                BenchmarkRun.Progress($"Run {RunLock.NamePrefix}{id} is alive (it holds {lockPath}): its objects are left alone");
                continue;
            }

            var outcome = await RunObjects.RemoveAsync(RunLock.NamePrefix + id, keepPath: lockPath);
            BenchmarkRun.Progress(
                $"Removed what the dead run {RunLock.NamePrefix}{id} left: {(outcome.Removed.Count == 0 ? "nothing but its lock file" : string.Join(", ", Summarize(outcome.Removed)))}");
            outcome.WarnAboutLeftovers();
            // With something still there, the lock file stays, so that the next run tries again.
            if (outcome.Left.Count == 0)
            {
                File.Delete(lockPath);
            }
        }
    }

    /// <summary>"3 domains, 1 pool, /var/tmp/rvdbench-…": counts by kind, paths as they are.</summary>
    private static IEnumerable<string> Summarize(IReadOnlyList<string> removed) =>
        removed
            .GroupBy(item => item.StartsWith('/') ? item : item.Split(' ')[0], StringComparer.Ordinal)
            .Select(group => group.Key.StartsWith('/') ? group.Key : Count(group.Count(), group.Key));

    private static string Count(int count, string kind) =>
        count == 1 ? $"1 {kind}" : string.Create(CultureInfo.InvariantCulture, $"{count} {kind}{(kind.EndsWith('s') ? "es" : "s")}");

    [GeneratedRegex("^rvdbench-(?<id>[0-9a-f]{8})(?:$|[-.])", RegexOptions.CultureInvariant)]
    private static partial Regex RunName();
}
