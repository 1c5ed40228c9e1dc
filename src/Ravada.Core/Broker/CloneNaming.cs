using System.Globalization;
using Ravada.Core.Hypervisor;

namespace Ravada.Core.Broker;

/// <summary>Clone names: <c>&lt;base&gt;-&lt;user&gt;</c>, made unique with <c>-2</c>, <c>-3</c>…, as in Ravada.</summary>
public static class CloneNaming
{
    private const int MaxSuffixes = 999;

    /// <summary>
    /// The first free name for a clone of <paramref name="baseName"/> for this user. User names that are not
    /// valid in machine names become <c>u&lt;id&gt;</c>.
    /// </summary>
    public static async Task<string> FreeNameAsync(string baseName, string userName, long userId, Func<string, Task<bool>> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        var stem = $"{baseName}-{userName}";
        if (!MachineName.IsValid(stem))
        {
            stem = string.Create(CultureInfo.InvariantCulture, $"{baseName}-u{userId}");
        }

        stem = stem[..Math.Min(stem.Length, MachineName.MaxLength - 4)];
        for (var suffix = 1; suffix <= MaxSuffixes; suffix++)
        {
            var candidate = suffix == 1 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}-{suffix}");
            if (!await isTaken(candidate))
            {
                return candidate;
            }
        }

        throw new RequestRefusedException($"No free clone name left for {stem}.");
    }
}
