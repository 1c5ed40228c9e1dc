using System.Globalization;
using System.Xml.Linq;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Xml;

/// <summary>
/// Changes to a domain's persistent XML (read with the secure flag so display passwords survive the
/// redefinition). Each method validates its input and edits with <see cref="System.Xml.Linq"/>.
/// </summary>
public static class DomainXmlEditor
{
    /// <summary>Sets memory and/or virtual CPUs.</summary>
    public static void SetMemoryAndCpus(XDocument domain, long? memoryMiB, int? virtualCpus)
    {
        var root = Root(domain);
        if (memoryMiB is { } memory)
        {
            if (memory is < 64 or > 4 * 1024 * 1024)
            {
                throw new ArgumentException($"Memory must be between 64 MiB and 4 TiB, not {memory} MiB.", nameof(memoryMiB));
            }

            foreach (var name in new[] { "memory", "currentMemory" })
            {
                root.Element(name)?.Remove();
            }

            var value = memory.ToString(CultureInfo.InvariantCulture);
            var anchor = root.Element("uuid") ?? root.Element("name")!;
            anchor.AddAfterSelf(
                new XElement("memory", new XAttribute("unit", "MiB"), value),
                new XElement("currentMemory", new XAttribute("unit", "MiB"), value));
        }

        if (virtualCpus is { } cpus)
        {
            if (cpus is < 1 or > 255)
            {
                throw new ArgumentException($"Virtual CPUs must be between 1 and 255, not {cpus}.", nameof(virtualCpus));
            }

            var vcpu = root.Element("vcpu") ?? throw new FormatException("domain XML without <vcpu>");
            vcpu.RemoveAttributes();
            vcpu.SetAttributeValue("placement", "static");
            vcpu.Value = cpus.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The bus new disks use on this domain: that of its first disk, else virtio.</summary>
    public static string DiskBus(XDocument domain) =>
        (string?)Disks(domain).FirstOrDefault(disk => (string?)disk.Attribute("device") == "disk")?.Element("target")?.Attribute("bus") ?? "virtio";

    /// <summary>The first free device name for a disk on <paramref name="bus"/>.</summary>
    public static string FreeTarget(XDocument domain, string bus)
    {
        var prefix = bus switch
        {
            "virtio" => "vd",
            "sata" or "scsi" or "usb" => "sd",
            "ide" => "hd",
            _ => throw new ArgumentException($"unsupported disk bus '{bus}'", nameof(bus)),
        };
        var taken = Disks(domain).Select(disk => (string?)disk.Element("target")?.Attribute("dev")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var index = 0; index < 26; index++)
        {
            var candidate = DesktopDomainXml.DeviceName(prefix, index);
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ArgumentException($"no free device name left on bus {bus}", nameof(bus));
    }

    /// <summary>The disk or CD-ROM element with this target, or null.</summary>
    public static XElement? FindDisk(XDocument domain, string target) =>
        Disks(domain).FirstOrDefault(disk => (string?)disk.Element("target")?.Attribute("dev") == target);

    /// <summary>The machine's CD-ROM drive, or null.</summary>
    public static XElement? FindCdrom(XDocument domain) =>
        Disks(domain).FirstOrDefault(disk => (string?)disk.Attribute("device") == "cdrom");

    /// <summary>Points the disk <paramref name="target"/> at another qcow2 file.</summary>
    public static void ReplaceDiskSource(XDocument domain, string target, string path)
    {
        HostPath.Validate(path, "disk path");
        var disk = FindDisk(domain, target) ?? throw new ArgumentException($"the machine has no disk {target}", nameof(target));
        disk.Element("driver")?.SetAttributeValue("type", "qcow2");
        var source = disk.Element("source");
        if (source is null)
        {
            disk.Element("driver")!.AddAfterSelf(new XElement("source", new XAttribute("file", path)));
        }
        else
        {
            source.RemoveAttributes();
            source.SetAttributeValue("file", path);
        }

        disk.Element("backingStore")?.Remove();
    }

    /// <summary>The CD-ROM drive with <paramref name="isoPath"/> inserted, or empty when null; returns the changed element.</summary>
    public static XElement SetCdromMedia(XDocument domain, string? isoPath)
    {
        var cdrom = FindCdrom(domain) ?? throw new ArgumentException("the machine has no CD-ROM drive", nameof(domain));
        cdrom.Element("source")?.Remove();
        if (isoPath is not null)
        {
            HostPath.Validate(isoPath, "CD-ROM image path");
            cdrom.Element("driver")!.AddAfterSelf(new XElement("source", new XAttribute("file", isoPath)));
        }

        return cdrom;
    }

    /// <summary>Replaces our metadata element.</summary>
    public static void SetOwnership(XDocument domain, MachineOwnership ownership)
    {
        var root = Root(domain);
        var metadata = root.Element("metadata");
        if (metadata is null)
        {
            metadata = new XElement("metadata");
            (root.Element("uuid") ?? root.Element("name")!).AddAfterSelf(metadata);
        }

        metadata.Elements(RavadaMetadata.Namespace + "machine").Remove();
        metadata.Add(RavadaMetadata.ToElement(ownership));
    }

    private static IEnumerable<XElement> Disks(XDocument domain) => Root(domain).Element("devices")?.Elements("disk") ?? [];

    private static XElement Root(XDocument domain) => domain.Root ?? throw new FormatException("empty domain XML");
}
