using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Xml;

/// <summary>
/// Builds the libvirt domain XML of a desktop machine with <see cref="System.Xml.Linq"/>, never by
/// concatenation: every name, path and password is escaped by the XML writer, and validated here first.
/// </summary>
public static class DesktopDomainXml
{
    /// <summary>The longest VNC password QEMU honours; longer ones are silently truncated, so we refuse them.</summary>
    public const int VncPasswordMaxLength = 8;

    /// <summary>Builds the domain XML for <paramref name="definition"/> on a node with <paramref name="host"/>'s features.</summary>
    public static XDocument Build(DesktopDefinition definition, HostFeatures host, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(host);
        Validate(definition);

        var windows = definition.OsFamily == GuestOsFamily.Windows;
        var domain = new XElement(
            "domain",
            new XAttribute("type", DomainType(accelerator)),
            new XElement("name", definition.Name),
            new XElement("uuid", definition.Id.ToString("D")),
            new XElement("metadata", RavadaMetadata.ToElement(definition.Ownership)),
            new XElement("memory", new XAttribute("unit", "MiB"), Number(definition.MemoryMiB)),
            new XElement("currentMemory", new XAttribute("unit", "MiB"), Number(definition.MemoryMiB)),
            new XElement("vcpu", new XAttribute("placement", "static"), Number(definition.VirtualCpus)),
            OperatingSystem(definition, host),
            Features(windows),
            accelerator == Accelerator.Kvm ? new XElement("cpu", new XAttribute("mode", "host-model")) : null,
            Clock(windows),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            new XElement(
                "pm",
                new XElement("suspend-to-mem", new XAttribute("enabled", "no")),
                new XElement("suspend-to-disk", new XAttribute("enabled", "no"))),
            Devices(definition, host, windows));

        return new XDocument(domain);
    }

    /// <summary>The libvirt domain type for an accelerator.</summary>
    public static string DomainType(Accelerator accelerator) => accelerator switch
    {
        Accelerator.Kvm => "kvm",
        Accelerator.Tcg => "qemu",
        Accelerator.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(accelerator), accelerator, "unknown accelerator"),
    };

    /// <summary>A <c>&lt;graphics&gt;</c> element; also used alone to change a running machine's password.</summary>
    public static XElement Graphics(DisplayProtocol protocol, string listenAddress, string password)
    {
        var type = protocol == DisplayProtocol.Spice ? "spice" : "vnc";
        var graphics = new XElement(
            "graphics",
            new XAttribute("type", type),
            new XAttribute("autoport", "yes"),
            new XAttribute("passwd", password),
            new XElement("listen", new XAttribute("type", "address"), new XAttribute("address", listenAddress)));
        if (protocol == DisplayProtocol.Spice)
        {
            graphics.Add(
                new XElement("image", new XAttribute("compression", "auto_glz")),
                new XElement("jpeg", new XAttribute("compression", "auto")),
                new XElement("zlib", new XAttribute("compression", "auto")),
                new XElement("playback", new XAttribute("compression", "on")),
                new XElement("streaming", new XAttribute("mode", "filter")));
        }

        return graphics;
    }

    /// <summary>A <c>&lt;disk device='disk'&gt;</c> element on a file volume.</summary>
    public static XElement Disk(DiskAttachment disk, string target, string bus)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var element = new XElement(
            "disk",
            new XAttribute("type", "file"),
            new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", disk.Format), new XAttribute("discard", "unmap")),
            new XElement("source", new XAttribute("file", disk.Path)),
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", bus)));
        if (disk.ReadOnly)
        {
            element.Add(new XElement("readonly"));
        }

        return element;
    }

    /// <summary>A <c>&lt;disk device='cdrom'&gt;</c> element, empty when <paramref name="isoPath"/> is null.</summary>
    public static XElement Cdrom(string? isoPath, string target, string bus)
    {
        var cdrom = new XElement(
            "disk",
            new XAttribute("type", "file"),
            new XAttribute("device", "cdrom"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")));
        if (isoPath is not null)
        {
            cdrom.Add(new XElement("source", new XAttribute("file", isoPath)));
        }

        cdrom.Add(
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", bus)),
            new XElement("readonly"));
        return cdrom;
    }

    /// <summary>The device name of the <paramref name="index"/>th device with <paramref name="prefix"/> (vda, vdb…).</summary>
    public static string DeviceName(string prefix, int index) =>
        index is >= 0 and < 26 ? prefix + (char)('a' + index) : throw new ArgumentOutOfRangeException(nameof(index), index, "at most 26 devices per bus");

    private static void Validate(DesktopDefinition definition)
    {
        MachineName.Validate(definition.Name);
        if (definition.Id == Guid.Empty)
        {
            throw new ArgumentException("The machine id must not be empty.", nameof(definition));
        }

        if (definition.MemoryMiB is < 64 or > 4 * 1024 * 1024)
        {
            throw new ArgumentException($"Memory must be between 64 MiB and 4 TiB, not {definition.MemoryMiB} MiB.", nameof(definition));
        }

        if (definition.VirtualCpus is < 1 or > 255)
        {
            throw new ArgumentException($"Virtual CPUs must be between 1 and 255, not {definition.VirtualCpus}.", nameof(definition));
        }

        if (definition.Disks.Count > 16)
        {
            throw new ArgumentException("A desktop takes at most 16 disks.", nameof(definition));
        }

        foreach (var disk in definition.Disks)
        {
            HostPath.Validate(disk.Path, "disk path");
            if (disk.Format is not ("qcow2" or "raw"))
            {
                throw new ArgumentException($"Disk format must be qcow2 or raw, not '{disk.Format}'.", nameof(definition));
            }
        }

        if (definition.CdromPath is not null)
        {
            HostPath.Validate(definition.CdromPath, "CD-ROM image path");
        }

        if (definition.KernelBoot is { } kernel)
        {
            HostPath.Validate(kernel.KernelPath, "kernel path");
            if (kernel.InitrdPath is not null)
            {
                HostPath.Validate(kernel.InitrdPath, "initrd path");
            }

            if (kernel.CommandLine.Any(char.IsControl))
            {
                throw new ArgumentException("The kernel command line must not contain control characters.", nameof(definition));
            }
        }

        if (definition.Network is not null)
        {
            MachineName.Validate(definition.Network, "network name");
        }

        if (definition.MacAddress is not null && !MacAddress.IsValid(definition.MacAddress))
        {
            throw new ArgumentException($"Invalid MAC address '{definition.MacAddress}'.", nameof(definition));
        }

        if (!IPAddress.TryParse(definition.Display.ListenAddress, out _))
        {
            throw new ArgumentException($"The display listen address must be an IP address, not '{definition.Display.ListenAddress}'.", nameof(definition));
        }

        if (!definition.Display.Spice && !definition.Display.Vnc)
        {
            throw new ArgumentException("A desktop needs SPICE, VNC or both.", nameof(definition));
        }

        ValidatePassword(definition.Display.Passwords.Spice, int.MaxValue, "SPICE");
        ValidatePassword(definition.Display.Passwords.Vnc, VncPasswordMaxLength, "VNC");

        if (definition.UsbRedirectionChannels is < 0 or > 8)
        {
            throw new ArgumentException("USB redirection channels must be between 0 and 8.", nameof(definition));
        }

        Core.Users.UserName.Validate(definition.Ownership.Owner);
        if (definition.Ownership.BaseName is not null)
        {
            MachineName.Validate(definition.Ownership.BaseName, "base name");
        }
    }

    private static void ValidatePassword(string password, int maxLength, string protocol)
    {
        if (password.Length is 0 || password.Length > maxLength || !password.All(character => character is > ' ' and < (char)127))
        {
            throw new ArgumentException(
                $"The {protocol} password must be 1 to {(maxLength == int.MaxValue ? "any number of" : maxLength.ToString(CultureInfo.InvariantCulture))} printable ASCII characters.",
                nameof(password));
        }
    }

    private static XElement OperatingSystem(DesktopDefinition definition, HostFeatures host)
    {
        var type = new XElement("type", new XAttribute("arch", host.Arch), "hvm");
        if (host.MachineType is { } machine)
        {
            type.Add(new XAttribute("machine", machine));
        }

        var os = new XElement("os", type);
        if (definition.KernelBoot is { } kernel)
        {
            os.Add(new XElement("kernel", kernel.KernelPath));
            if (kernel.InitrdPath is not null)
            {
                os.Add(new XElement("initrd", kernel.InitrdPath));
            }

            os.Add(new XElement("cmdline", kernel.CommandLine));
            return os;
        }

        if (definition.BootFromCdrom)
        {
            os.Add(new XElement("boot", new XAttribute("dev", "cdrom")));
        }

        os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        if (!definition.BootFromCdrom && definition.CdromPath is not null)
        {
            os.Add(new XElement("boot", new XAttribute("dev", "cdrom")));
        }

        os.Add(new XElement("bootmenu", new XAttribute("enable", "no")));
        return os;
    }

    private static XElement Features(bool windows)
    {
        var features = new XElement("features", new XElement("acpi"), new XElement("apic"));
        if (windows)
        {
            features.Add(new XElement(
                "hyperv",
                new XAttribute("mode", "custom"),
                new XElement("relaxed", new XAttribute("state", "on")),
                new XElement("vapic", new XAttribute("state", "on")),
                new XElement("spinlocks", new XAttribute("state", "on"), new XAttribute("retries", "8191"))));
        }

        return features;
    }

    private static XElement Clock(bool windows)
    {
        var clock = new XElement(
            "clock",
            new XAttribute("offset", windows ? "localtime" : "utc"),
            new XElement("timer", new XAttribute("name", "rtc"), new XAttribute("tickpolicy", "catchup")),
            new XElement("timer", new XAttribute("name", "pit"), new XAttribute("tickpolicy", "delay")),
            new XElement("timer", new XAttribute("name", "hpet"), new XAttribute("present", "no")));
        if (windows)
        {
            clock.Add(new XElement("timer", new XAttribute("name", "hypervclock"), new XAttribute("present", "yes")));
        }

        return clock;
    }

    private static XElement Devices(DesktopDefinition definition, HostFeatures host, bool windows)
    {
        var devices = new XElement("devices");
        var diskBus = windows ? "sata" : "virtio";
        var removableBus = host.IsQ35 ? "sata" : "ide";
        var diskIndex = 0;
        var removableIndex = 0;

        foreach (var disk in definition.Disks)
        {
            var target = windows ? DeviceName("sd", removableIndex++) : DeviceName("vd", diskIndex++);
            devices.Add(Disk(disk, target, diskBus));
        }

        var cdromTarget = removableBus == "ide" ? DeviceName("hd", removableIndex++) : DeviceName("sd", removableIndex++);
        devices.Add(Cdrom(definition.CdromPath, cdromTarget, removableBus));

        devices.Add(new XElement("controller", new XAttribute("type", "usb"), new XAttribute("model", "qemu-xhci"), new XAttribute("ports", "15")));
        devices.Add(new XElement("controller", new XAttribute("type", "virtio-serial"), new XAttribute("index", "0")));

        if (definition.Network is not null)
        {
            var nic = new XElement("interface", new XAttribute("type", "network"));
            if (definition.MacAddress is not null)
            {
                nic.Add(new XElement("mac", new XAttribute("address", definition.MacAddress.ToLowerInvariant())));
            }

            nic.Add(
                new XElement("source", new XAttribute("network", definition.Network)),
                new XElement("model", new XAttribute("type", windows ? "e1000e" : "virtio")));
            devices.Add(nic);
        }

        if (definition.SerialConsole)
        {
            devices.Add(
                new XElement("serial", new XAttribute("type", "pty"), new XElement("target", new XAttribute("port", "0"))),
                new XElement("console", new XAttribute("type", "pty"), new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", "0"))));
        }

        if (definition.GuestAgent)
        {
            devices.Add(new XElement(
                "channel",
                new XAttribute("type", "unix"),
                new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", "org.qemu.guest_agent.0"))));
        }

        var spice = definition.Display.Spice && host.SupportsSpice;
        if (spice)
        {
            devices.Add(new XElement(
                "channel",
                new XAttribute("type", "spicevmc"),
                new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", "com.redhat.spice.0"))));
        }

        devices.Add(new XElement("input", new XAttribute("type", "tablet"), new XAttribute("bus", "usb")));

        if (spice)
        {
            devices.Add(Graphics(DisplayProtocol.Spice, definition.Display.ListenAddress, definition.Display.Passwords.Spice));
        }

        if (definition.Display.Vnc || !spice)
        {
            devices.Add(Graphics(DisplayProtocol.Vnc, definition.Display.ListenAddress, definition.Display.Passwords.Vnc));
        }

        devices.Add(new XElement("sound", new XAttribute("model", "ich9")));
        devices.Add(Video(host.VideoModel));

        if (spice)
        {
            for (var channel = 0; channel < definition.UsbRedirectionChannels; channel++)
            {
                devices.Add(new XElement("redirdev", new XAttribute("bus", "usb"), new XAttribute("type", "spicevmc")));
            }
        }

        devices.Add(new XElement("memballoon", new XAttribute("model", "virtio")));
        devices.Add(new XElement(
            "rng",
            new XAttribute("model", "virtio"),
            new XElement("backend", new XAttribute("model", "random"), "/dev/urandom")));
        return devices;
    }

    private static XElement Video(string model)
    {
        var modelElement = new XElement("model", new XAttribute("type", model), new XAttribute("heads", "1"), new XAttribute("primary", "yes"));
        if (model == "qxl")
        {
            modelElement.Add(
                new XAttribute("ram", "65536"),
                new XAttribute("vram", "65536"),
                new XAttribute("vgamem", "16384"));
        }

        return new XElement("video", modelElement);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
