using System.Globalization;
using System.Xml.Linq;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Xml;

/// <summary>
/// Our element inside a domain's <c>&lt;metadata&gt;</c>: it marks machines the broker owns and records
/// who owns them. libvirt keeps one element per namespace, so the namespace is our key.
/// </summary>
public static class RavadaMetadata
{
    /// <summary>Our metadata namespace.</summary>
    public static readonly XNamespace Namespace = "https://ravada.dotnet/xmlns/machine/1";

    /// <summary>The prefix libvirt writes for our namespace.</summary>
    public const string Prefix = "ravada";

    /// <summary>The element that holds our data, in our namespace, for a whole domain XML.</summary>
    public static XElement ToElement(MachineOwnership ownership)
    {
        var element = Build(ownership, Namespace);
        element.Add(new XAttribute(XNamespace.Xmlns + Prefix, Namespace.NamespaceName));
        return element;
    }

    /// <summary>
    /// The same element without a namespace, as <c>virDomainSetMetadata</c> wants it: libvirt puts it in the
    /// namespace it is given and refuses a fragment that declares one itself.
    /// </summary>
    public static XElement ToUnqualifiedElement(MachineOwnership ownership) => Build(ownership, XNamespace.None);

    private static XElement Build(MachineOwnership ownership, XNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        var element = new XElement(
            ns + "machine",
            new XElement(ns + "owner", ownership.Owner),
            new XElement(ns + "volatile", ownership.Volatile ? "true" : "false"));
        if (ownership.BaseName is not null)
        {
            element.Add(new XElement(ns + "base", ownership.BaseName));
        }

        return element;
    }

    /// <summary>Reads our data from a <c>&lt;metadata&gt;</c> element, or null when the machine is not ours.</summary>
    public static MachineOwnership? FromMetadata(XElement? metadata)
    {
        var machine = metadata?.Element(Namespace + "machine");
        if (machine is null)
        {
            return null;
        }

        var owner = machine.Element(Namespace + "owner")?.Value ?? string.Empty;
        var baseName = machine.Element(Namespace + "base")?.Value;
        var isVolatile = string.Equals(machine.Element(Namespace + "volatile")?.Value, "true", StringComparison.Ordinal);
        return new MachineOwnership(owner, baseName, isVolatile);
    }

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
