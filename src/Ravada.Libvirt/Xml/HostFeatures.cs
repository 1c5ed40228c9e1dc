using System.Xml.Linq;

namespace Ravada.Libvirt.Xml;

/// <summary>What the node can offer a new machine, read from the capabilities XML.</summary>
/// <param name="Arch">The guest architecture to use (x86_64 on our nodes).</param>
/// <param name="DomainTypes">libvirt domain types the node offers for that architecture (kvm, qemu, test).</param>
/// <param name="Machines">Machine types offered (pc-q35-7.2, q35, pc…).</param>
/// <param name="SupportsSpice">Whether QEMU was built with SPICE.</param>
/// <param name="VideoModels">Video models QEMU offers.</param>
public sealed record HostFeatures(
    string Arch,
    IReadOnlySet<string> DomainTypes,
    IReadOnlySet<string> Machines,
    bool SupportsSpice,
    IReadOnlySet<string> VideoModels)
{
    /// <summary>The machine type for new desktops: q35 where offered, else the default PC.</summary>
    public string? MachineType => Machines.Contains("q35") ? "q35" : Machines.Contains("pc") ? "pc" : null;

    /// <summary>Whether the chipset is q35 (SATA CD-ROM, PCIe), as opposed to i440fx (IDE).</summary>
    public bool IsQ35 => MachineType == "q35";

    /// <summary>The best video model for a desktop: qxl when offered (SPICE), else virtio, else VGA.</summary>
    public string VideoModel => VideoModels.Contains("qxl") ? "qxl" : VideoModels.Contains("virtio") ? "virtio" : "vga";

    /// <summary>
    /// Reads host capabilities (<c>virConnectGetCapabilities</c>) and, when the driver has them, domain
    /// capabilities (<c>virConnectGetDomainCapabilities</c>).
    /// </summary>
    public static HostFeatures Parse(string capabilitiesXml, string? domainCapabilitiesXml)
    {
        var capabilities = XDocument.Parse(capabilitiesXml).Root ?? throw new FormatException("empty capabilities XML");
        var guests = capabilities.Elements("guest")
            .Where(guest => guest.Element("os_type")?.Value == "hvm")
            .Select(guest => guest.Element("arch"))
            .OfType<XElement>()
            .ToList();
        var arch = guests.FirstOrDefault(candidate => (string?)candidate.Attribute("name") == "x86_64")
            ?? guests.FirstOrDefault()
            ?? throw new FormatException("the capabilities list no hvm guest architecture");

        var domainTypes = arch.Elements("domain")
            .Select(domain => (string?)domain.Attribute("type"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var machines = arch.Elements("machine").Select(machine => machine.Value.Trim()).ToHashSet(StringComparer.Ordinal);

        var supportsSpice = true;
        var videoModels = new HashSet<string>(["qxl", "virtio", "vga"], StringComparer.Ordinal);
        if (domainCapabilitiesXml is not null)
        {
            var devices = XDocument.Parse(domainCapabilitiesXml).Root?.Element("devices");
            supportsSpice = EnumValues(devices?.Element("graphics"), "type").Contains("spice");
            videoModels = EnumValues(devices?.Element("video"), "modelType");
        }

        return new HostFeatures((string?)arch.Attribute("name") ?? "x86_64", domainTypes, machines, supportsSpice, videoModels);
    }

    private static HashSet<string> EnumValues(XElement? device, string enumName) =>
        device?.Elements("enum")
            .FirstOrDefault(element => (string?)element.Attribute("name") == enumName)?
            .Elements("value")
            .Select(value => value.Value)
            .ToHashSet(StringComparer.Ordinal)
        ?? [];
}
