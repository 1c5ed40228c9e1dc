using System.Text;

namespace Ravada.Ldap;

/// <summary>Values placed into LDAP search filters (RFC 4515), so that a login name such as <c>*</c> or <c>a)(uid=*</c> stays one literal value.</summary>
internal static class LdapFilter
{
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var character in value)
        {
            _ = character switch
            {
                '\\' => escaped.Append(@"\5c"),
                '*' => escaped.Append(@"\2a"),
                '(' => escaped.Append(@"\28"),
                ')' => escaped.Append(@"\29"),
                '\0' => escaped.Append(@"\00"),
                _ => escaped.Append(character),
            };
        }

        return escaped.ToString();
    }

    /// <summary><c>(attribute=value)</c>, ANDed with <paramref name="extra"/> when there is one.</summary>
    public static string Equality(string attribute, string value, string? extra = null)
    {
        var equality = $"({attribute}={Escape(value)})";
        if (string.IsNullOrWhiteSpace(extra))
        {
            return equality;
        }

        var trimmed = extra.Trim();
        return $"(&{equality}{(trimmed.StartsWith('(') ? trimmed : $"({trimmed})")})";
    }
}
