namespace Ravada.Core.Broker;

/// <summary>Where the broker puts disks, displays and NICs of the machines it creates.</summary>
public sealed class BrokerOptions
{
    /// <summary>libvirt storage pool for new machines' disks.</summary>
    public string StoragePool { get; set; } = "default";

    /// <summary>Pool for base images (read-only copies that clones overlay).</summary>
    public string BasePool { get; set; } = "default";

    /// <summary>Pool for clone overlays.</summary>
    public string ClonePool { get; set; } = "default";

    /// <summary>Pool where ISO images are looked up by name.</summary>
    public string IsoPool { get; set; } = "default";

    /// <summary>The address SPICE and VNC listen on.</summary>
    public string DisplayListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The libvirt network new machines' NICs join.</summary>
    public string Network { get; set; } = "default";

    /// <summary>Default wait for a guest to shut down before powering it off.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 60;
}
