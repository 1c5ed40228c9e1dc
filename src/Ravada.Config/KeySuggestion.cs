namespace Ravada.Config;

/// <summary>Finds the known key an unknown one was probably meant to be: a typo, a key put in the wrong section, or Ravada's old name for it.</summary>
internal static class KeySuggestion
{
    /// <summary>Keys of Perl Ravada's <c>/etc/ravada.conf</c> that exist here under another name.</summary>
    private static readonly Dictionary<string, string> RavadaNames = new(StringComparer.Ordinal)
    {
        ["db.host"] = "db.hostname",
        ["db.db"] = "db.database",
        ["display_ip"] = "display.public_address",
        ["nat_ip"] = "display.public_address",
        ["ldap.admin_user"] = "ldap.admin_dn",
        ["ldap.secure"] = "ldap.tls",
    };

    /// <summary>The known key or section closest to <paramref name="unknown"/> (<c>section.key</c> or a top-level name), or null when none is close.</summary>
    public static string? For(string unknown)
    {
        if (RavadaNames.TryGetValue(unknown, out var renamed))
        {
            return renamed;
        }

        var known = RavadaConfigSchema.Keys.Select(key => key.Name).Concat(RavadaConfigSchema.Sections).ToList();
        var leaf = unknown[(unknown.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var sameLeafElsewhere = RavadaConfigSchema.Keys.Where(key => key.Leaf == leaf).Select(key => key.Name).ToList();
        if (sameLeafElsewhere.Count == 1)
        {
            return sameLeafElsewhere[0];
        }

        var closest = known.MinBy(name => Distance(unknown.ToLowerInvariant(), name));
        return closest is not null && Distance(unknown.ToLowerInvariant(), closest) <= Math.Max(1, unknown.Length / 4) ? closest : null;
    }

    /// <summary>Levenshtein distance: the fewest single-character insertions, deletions and substitutions from one to the other.</summary>
    private static int Distance(string from, string to)
    {
        var previous = Enumerable.Range(0, to.Length + 1).ToArray();
        var current = new int[to.Length + 1];
        for (var i = 1; i <= from.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= to.Length; j++)
            {
                var substitution = previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[to.Length];
    }
}
