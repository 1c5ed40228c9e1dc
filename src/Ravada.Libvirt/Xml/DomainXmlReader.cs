using System.Globalization;
using System.Xml.Linq;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Xml;

/// <summary>What the broker reads back from a domain's XML.</summary>
/// <param name="Id">UUID.</param>
/// <param name="Name">Name.</param>
/// <param name="DomainType">kvm, qemu or test.</param>
/// <param name="MemoryMiB">Memory.</param>
/// <param name="VirtualCpus">vCPUs.</param>
/// <param name="Ownership">Our metadata, if any.</param>
/// <param name="Disks">Disks and CD-ROMs.</param>
/// <param name="Displays">SPICE and VNC displays, in device order.</param>
/// <param name="DisplayPasswords">Display passwords by protocol (only in secure XML).</param>
/// <param name="MacAddresses">MAC addresses of the NICs.</param>
/// <param name="DisplayDeviceIndexes">
/// For each of <paramref name="Displays"/>, its index among all <c>&lt;graphics&gt;</c> devices, counting the ones that are
/// neither SPICE nor VNC (egl-headless, dbus, sdl): the index <c>virDomainOpenGraphicsFD</c> takes.
/// </param>
public sealed record DomainXmlSummary(
    Guid Id,
    string Name,
    string DomainType,
    long MemoryMiB,
    int VirtualCpus,
    MachineOwnership? Ownership,
    IReadOnlyList<MachineDisk> Disks,
    IReadOnlyList<DisplayEndpoint> Displays,
    IReadOnlyDictionary<DisplayProtocol, string> DisplayPasswords,
    IReadOnlyList<string> MacAddresses,
    IReadOnlyList<int> DisplayDeviceIndexes);

/// <summary>Reads domain XML as libvirt returns it.</summary>
public static class DomainXmlReader
{
    /// <summary>Parses the parts of a domain XML the broker uses.</summary>
    public static DomainXmlSummary Read(string domainXml)
    {
        var domain = XDocument.Parse(domainXml).Root ?? throw new FormatException("empty domain XML");
        var devices = domain.Element("devices");

        var disks = devices?.Elements("disk").Select(ReadDisk).ToList() ?? [];
        var graphics = devices?.Elements("graphics").ToList() ?? [];
        var displays = new List<DisplayEndpoint>();
        var deviceIndexes = new List<int>();
        var passwords = new Dictionary<DisplayProtocol, string>();
        for (var deviceIndex = 0; deviceIndex < graphics.Count; deviceIndex++)
        {
            var element = graphics[deviceIndex];
            DisplayProtocol? protocol = (string?)element.Attribute("type") switch
            {
                "spice" => DisplayProtocol.Spice,
                "vnc" => DisplayProtocol.Vnc,
                _ => null,
            };
            if (protocol is null)
            {
                continue;
            }

            var listen = (string?)element.Element("listen")?.Attribute("address") ?? (string?)element.Attribute("listen") ?? string.Empty;
            displays.Add(new DisplayEndpoint(protocol.Value, listen, Port(element.Attribute("port")), Port(element.Attribute("tlsPort"))));
            deviceIndexes.Add(deviceIndex);
            if ((string?)element.Attribute("passwd") is { } password)
            {
                passwords[protocol.Value] = password;
            }
        }

        return new DomainXmlSummary(
            Guid.Parse(domain.Element("uuid")?.Value ?? throw new FormatException("domain XML without uuid")),
            domain.Element("name")?.Value ?? throw new FormatException("domain XML without name"),
            (string?)domain.Attribute("type") ?? string.Empty,
            MemoryMiB(domain.Element("memory")),
            int.Parse(domain.Element("vcpu")?.Value ?? "1", CultureInfo.InvariantCulture),
            RavadaMetadata.FromMetadata(domain.Element("metadata")),
            disks,
            displays,
            passwords,
            devices?.Elements("interface").Select(nic => (string?)nic.Element("mac")?.Attribute("address")).OfType<string>().ToList() ?? [],
            deviceIndexes);
    }

    /// <summary>The index among <c>&lt;graphics&gt;</c> devices of the first display of <paramref name="protocol"/>, or null.</summary>
    public static int? GraphicsIndex(DomainXmlSummary summary, DisplayProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(summary);
        for (var index = 0; index < summary.Displays.Count; index++)
        {
            if (summary.Displays[index].Protocol == protocol)
            {
                return summary.DisplayDeviceIndexes[index];
            }
        }

        return null;
    }

    private static MachineDisk ReadDisk(XElement disk)
    {
        var backing = disk.Element("backingStore");
        return new MachineDisk(
            (string?)disk.Element("target")?.Attribute("dev") ?? string.Empty,
            (string?)disk.Attribute("device") ?? "disk",
            (string?)disk.Element("source")?.Attribute("file") ?? (string?)disk.Element("source")?.Attribute("dev"),
            (string?)disk.Element("driver")?.Attribute("type"),
            (string?)backing?.Element("source")?.Attribute("file"));
    }

    private static int? Port(XAttribute? attribute) =>
        attribute is not null && int.TryParse(attribute.Value, CultureInfo.InvariantCulture, out var port) && port > 0 ? port : null;

    private static long MemoryMiB(XElement? memory)
    {
        if (memory is null)
        {
            return 0;
        }

        var value = long.Parse(memory.Value, CultureInfo.InvariantCulture);
        return ((string?)memory.Attribute("unit") ?? "KiB") switch
        {
            "b" or "bytes" => value / (1024 * 1024),
            "KiB" or "k" => value / 1024,
            "MiB" or "M" => value,
            "GiB" or "G" => value * 1024,
            _ => value / 1024,
        };
    }
}
