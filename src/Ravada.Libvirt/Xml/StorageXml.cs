using System.Globalization;
using System.Xml.Linq;

namespace Ravada.Libvirt.Xml;

/// <summary>Builds and reads storage pool and volume XML.</summary>
public static class StorageXml
{
    /// <summary>A directory pool at <paramref name="path"/>.</summary>
    public static XDocument DirectoryPool(string name, string path) =>
        new(new XElement(
            "pool",
            new XAttribute("type", "dir"),
            new XElement("name", Core.Hypervisor.MachineName.Validate(name, "pool name")),
            new XElement("target", new XElement("path", HostPath.Validate(path, "pool path")))));

    /// <summary>
    /// An empty volume of <paramref name="capacityBytes"/> in <paramref name="format"/>; also the description of
    /// the new volume in a copy (<c>virStorageVolCreateXMLFrom</c>). <paramref name="readOnly"/> sets mode 0444.
    /// </summary>
    public static XDocument Volume(string name, long capacityBytes, string format = "qcow2", bool readOnly = false)
    {
        ValidateVolume(name, capacityBytes, format);
        var target = Target(format);
        if (readOnly)
        {
            target.Add(new XElement("permissions", new XElement("mode", "0444")));
        }

        return new XDocument(new XElement(
            "volume",
            new XAttribute("type", "file"),
            new XElement("name", name),
            new XElement("capacity", new XAttribute("unit", "bytes"), capacityBytes.ToString(CultureInfo.InvariantCulture)),
            target));
    }

    /// <summary>
    /// A qcow2 overlay of the volume at <paramref name="backingPath"/>: reads go to the base until a block is
    /// written, so the clone is created instantly and takes almost no space.
    /// </summary>
    public static XDocument Overlay(string name, long capacityBytes, string backingPath, string backingFormat)
    {
        ValidateVolume(name, capacityBytes, "qcow2");
        HostPath.Validate(backingPath, "base volume path");
        if (backingFormat is not ("qcow2" or "raw"))
        {
            throw new ArgumentException($"A base volume must be qcow2 or raw, not '{backingFormat}'.", nameof(backingFormat));
        }

        return new XDocument(new XElement(
            "volume",
            new XAttribute("type", "file"),
            new XElement("name", name),
            new XElement("capacity", new XAttribute("unit", "bytes"), capacityBytes.ToString(CultureInfo.InvariantCulture)),
            Target("qcow2"),
            new XElement(
                "backingStore",
                new XElement("path", backingPath),
                new XElement("format", new XAttribute("type", backingFormat)))));
    }

    /// <summary>The format and backing file of a volume, from <c>virStorageVolGetXMLDesc</c>.</summary>
    public static (string? Format, string? BackingPath) ReadVolume(string volumeXml)
    {
        var volume = XDocument.Parse(volumeXml).Root ?? throw new FormatException("empty volume XML");
        var format = (string?)volume.Element("target")?.Element("format")?.Attribute("type");
        var backing = volume.Element("backingStore")?.Element("path")?.Value;
        return (format, string.IsNullOrEmpty(backing) ? null : backing);
    }

    /// <summary>The directory of a pool, from <c>virStoragePoolGetXMLDesc</c>.</summary>
    public static string? ReadPoolPath(string poolXml) =>
        XDocument.Parse(poolXml).Root?.Element("target")?.Element("path")?.Value;

    /// <summary>
    /// The volume's format; qcow2 images are written as qcow2 v3 (compat 1.1) for zero clusters and
    /// efficient discard, which libvirt would otherwise create as the old v2 (compat 0.10).
    /// </summary>
    private static XElement Target(string format)
    {
        var target = new XElement("target", new XElement("format", new XAttribute("type", format)));
        if (format == "qcow2")
        {
            target.Add(new XElement("compat", "1.1"));
        }

        return target;
    }

    private static void ValidateVolume(string name, long capacityBytes, string format)
    {
        Core.Hypervisor.MachineName.Validate(name, "volume name");
        if (capacityBytes is < 1024 * 1024 or > 64L * 1024 * 1024 * 1024 * 1024)
        {
            throw new ArgumentException($"A volume must be between 1 MiB and 64 TiB, not {capacityBytes} bytes.", nameof(capacityBytes));
        }

        if (format is not ("qcow2" or "raw"))
        {
            throw new ArgumentException($"Volume format must be qcow2 or raw, not '{format}'.", nameof(format));
        }
    }
}

/// <summary>Builds libvirt network XML.</summary>
public static class NetworkXml
{
    /// <summary>
    /// A NAT network with DHCP on <paramref name="gateway"/>/24, bridged on <paramref name="bridge"/>;
    /// <paramref name="isolated"/> leaves out the forward (no route outside the host).
    /// </summary>
    public static XDocument Nat(string name, string bridge, System.Net.IPAddress gateway, bool isolated)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        if (gateway.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException("The gateway must be an IPv4 address.", nameof(gateway));
        }

        if (bridge.Length is 0 or > 15 || !bridge.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_'))
        {
            throw new ArgumentException($"Invalid bridge name '{bridge}'.", nameof(bridge));
        }

        var bytes = gateway.GetAddressBytes();
        string Host(int last) => $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{last}";
        var network = new XElement("network", new XElement("name", Core.Hypervisor.MachineName.Validate(name, "network name")));
        if (!isolated)
        {
            network.Add(new XElement("forward", new XAttribute("mode", "nat")));
        }

        network.Add(
            new XElement("bridge", new XAttribute("name", bridge), new XAttribute("stp", "on"), new XAttribute("delay", "0")),
            new XElement(
                "ip",
                new XAttribute("address", gateway.ToString()),
                new XAttribute("netmask", "255.255.255.0"),
                new XElement("dhcp", new XElement("range", new XAttribute("start", Host(10)), new XAttribute("end", Host(250))))));
        return new XDocument(network);
    }
}
