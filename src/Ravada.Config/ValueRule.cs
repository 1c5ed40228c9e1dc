using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Ravada.Core.Hypervisor;

namespace Ravada.Config;

/// <summary>
/// What a value of <c>/etc/ravada.conf</c> may be, and the one spelling it is handed on in: a rule accepts
/// the text written in the file and returns it normalized (an integer without leading zeros, a compressed
/// IPv6 address, a choice in its canonical case), or refuses it.
/// </summary>
public abstract partial class ValueRule
{
    /// <summary>What the rule expects, completing "must be …" in error messages and the documentation.</summary>
    public abstract string Expectation { get; }

    /// <summary>Checks <paramref name="text"/>; on success <paramref name="normalized"/> is the value handed on.</summary>
    public abstract bool TryNormalize(string text, out string normalized);

    /// <summary>One of a few words, written in any case; <paramref name="choices"/> maps each word to its normalized spelling.</summary>
    public static ValueRule OneOf(params (string Word, string Normalized)[] choices) => new ChoiceRule(choices);

    /// <summary>One of a few words, written in any case and handed on spelled as here.</summary>
    public static ValueRule OneOf(params string[] words) => new ChoiceRule([.. words.Select(word => (word, word))]);

    /// <summary>A decimal integer from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static ValueRule IntegerBetween(int minimum, int maximum) => new IntegerRule(minimum, maximum, zeroMeansOff: false);

    /// <summary>0 (the feature is off), or a decimal integer from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static ValueRule OffOrIntegerBetween(int minimum, int maximum) => new IntegerRule(minimum, maximum, zeroMeansOff: true);

    /// <summary>An absolute file system path.</summary>
    public static ValueRule AbsolutePath { get; } = new AbsolutePathRule();

    /// <summary>A libvirt connection URI such as <c>qemu:///system</c> or <c>qemu+ssh://root@node/system</c>.</summary>
    public static ValueRule LibvirtUri { get; } = new LibvirtUriRule();

    /// <summary>A libvirt storage pool or network name, following <see cref="MachineName"/>'s rule.</summary>
    public static ValueRule LibvirtName { get; } = new LibvirtNameRule();

    /// <summary>An IPv4 or IPv6 address.</summary>
    public static ValueRule IpAddress { get; } = new IpAddressRule();

    /// <summary>An IPv4 or IPv6 address, or a DNS host name.</summary>
    public static ValueRule HostName { get; } = new HostNameRule();

    /// <summary>An IPv4 or IPv6 address or network in CIDR notation, handed on as a network (<c>10.0.0.5</c> becomes <c>10.0.0.5/32</c>).</summary>
    public static ValueRule AddressOrNetwork { get; } = new AddressOrNetworkRule();

    /// <summary>Text on one line, not empty.</summary>
    public static ValueRule Word { get; } = new WordRule();

    /// <summary>Any text, even empty: passwords.</summary>
    public static ValueRule AnyText { get; } = new AnyTextRule();

    /// <summary>
    /// Parses an IP address written in full: .NET alone would also take "1" as 0.0.0.1 and "10.1" as 10.0.0.1.
    /// Zone indexes (<c>fe80::1%eth0</c>) are refused: they mean nothing to a remote viewer or a firewall rule.
    /// </summary>
    internal static bool TryParseIpAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(text, out var parsed) || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && !DottedQuad().IsMatch(text))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^(?=.{1,253}\.?\z)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"^[0-9]{1,10}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();

    private sealed class ChoiceRule((string Word, string Normalized)[] choices) : ValueRule
    {
        public override string Expectation { get; } = "one of " + string.Join(", ", choices.Select(choice => choice.Word));

        public override bool TryNormalize(string text, out string normalized)
        {
            foreach (var (word, spelling) in choices)
            {
                if (string.Equals(text, word, StringComparison.OrdinalIgnoreCase))
                {
                    normalized = spelling;
                    return true;
                }
            }

            normalized = text;
            return false;
        }
    }

    private sealed class IntegerRule(int minimum, int maximum, bool zeroMeansOff) : ValueRule
    {
        public override string Expectation => zeroMeansOff
            ? $"0 (off) or an integer between {minimum} and {maximum}"
            : $"an integer between {minimum} and {maximum}";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            if (!Digits().IsMatch(text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            if ((value >= minimum && value <= maximum) || (zeroMeansOff && value == 0))
            {
                normalized = value.ToString(CultureInfo.InvariantCulture);
                return true;
            }

            return false;
        }
    }

    private sealed class AbsolutePathRule : ValueRule
    {
        public override string Expectation => "an absolute path";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            return text.StartsWith('/') && !text.Any(char.IsControl);
        }
    }

    private sealed class LibvirtUriRule : ValueRule
    {
        public override string Expectation => "a libvirt URI such as qemu:///system or qemu+ssh://root@node/system";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            return UriScheme().IsMatch(text) && Uri.TryCreate(text, UriKind.Absolute, out _) && !text.Any(char.IsWhiteSpace);
        }
    }

    private sealed class LibvirtNameRule : ValueRule
    {
        public override string Expectation =>
            $"a name of 1 to {MachineName.MaxLength} letters, digits, '-', '_' or '.', starting with a letter or digit";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            return MachineName.IsValid(text);
        }
    }

    private sealed class IpAddressRule : ValueRule
    {
        public override string Expectation => "an IPv4 or IPv6 address";

        public override bool TryNormalize(string text, out string normalized)
        {
            var valid = TryParseIpAddress(text, out var address);
            normalized = valid ? address.ToString() : text;
            return valid;
        }
    }

    private sealed class HostNameRule : ValueRule
    {
        public override string Expectation => "an IP address or a host name";

        public override bool TryNormalize(string text, out string normalized)
        {
            if (TryParseIpAddress(text, out var address))
            {
                normalized = address.ToString();
                return true;
            }

            normalized = text.ToLowerInvariant();
            return DnsName().IsMatch(text) && !DottedQuadLike(text);
        }

        // "10.0.0.300" matches the DNS pattern but is a mistyped address, not a host name.
        private static bool DottedQuadLike(string text) => text.Split('.').All(label => label.All(char.IsAsciiDigit));
    }

    private sealed class AddressOrNetworkRule : ValueRule
    {
        public override string Expectation => "an IP address or a network in CIDR notation such as 192.168.1.0/24";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var addressText = slash < 0 ? text : text[..slash];
            if (!TryParseIpAddress(addressText, out var address))
            {
                return false;
            }

            var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var prefixLength = width;
            if (slash >= 0 && !(Digits().IsMatch(text[(slash + 1)..])
                && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
                && prefixLength <= width))
            {
                return false;
            }

            var network = new IPNetwork(MaskTo(address, prefixLength), prefixLength);

            // 10.0.0.5/24 is refused rather than silently widened: it usually means a typo in the address or the prefix.
            if (!network.BaseAddress.Equals(address))
            {
                return false;
            }

            normalized = network.ToString();
            return true;
        }

        private static IPAddress MaskTo(IPAddress address, int prefixLength)
        {
            var bytes = address.GetAddressBytes();
            for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            return new IPAddress(bytes);
        }
    }

    private sealed class WordRule : ValueRule
    {
        public override string Expectation => "non-empty text on one line";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            return text.Length > 0 && !text.Any(char.IsControl);
        }
    }

    private sealed class AnyTextRule : ValueRule
    {
        public override string Expectation => "text";

        public override bool TryNormalize(string text, out string normalized)
        {
            normalized = text;
            return true;
        }
    }
}
