namespace Ravada.Core.Hypervisor;

/// <summary>What a node's probe found about hardware virtualization.</summary>
/// <param name="KvmDeviceUsable">/dev/kvm exists and opens read-write.</param>
/// <param name="CpuHasVirtualizationExtensions">The CPU advertises vmx (Intel) or svm (AMD).</param>
/// <param name="HypervisorOffersKvm">libvirt's domain capabilities list the kvm domain type.</param>
/// <param name="KvmModule">The loaded KVM vendor module (kvm_intel, kvm_amd, kvm_pvm…), if known.</param>
public sealed record VirtualizationFacts(bool KvmDeviceUsable, bool CpuHasVirtualizationExtensions, bool HypervisorOffersKvm, string? KvmModule);

/// <summary>Chooses KVM or TCG for a node.</summary>
public static class AcceleratorPolicy
{
    /// <summary>
    /// KVM only when it is hardware-assisted. A /dev/kvm without vmx/svm (for example the paravirtual
    /// kvm_pvm module of some cloud sandboxes) runs unmodified guest kernels far slower than TCG, so
    /// <see cref="AcceleratorPreference.Auto"/> treats it as unusable.
    /// </summary>
    public static (Accelerator Accelerator, string Reason) Choose(AcceleratorPreference preference, VirtualizationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        switch (preference)
        {
            case AcceleratorPreference.Tcg:
                return (Accelerator.Tcg, "TCG (chosen in the configuration)");
            case AcceleratorPreference.Kvm:
                return facts.KvmDeviceUsable && facts.HypervisorOffersKvm
                    ? (Accelerator.Kvm, "KVM (chosen in the configuration)")
                    : throw new HypervisorException(HypervisorFailure.Unsupported, "KVM was chosen in the configuration but /dev/kvm is not usable on this host");
        }

        if (!facts.KvmDeviceUsable)
        {
            return (Accelerator.Tcg, "TCG (/dev/kvm is missing or not accessible)");
        }

        if (!facts.HypervisorOffersKvm)
        {
            return (Accelerator.Tcg, "TCG (QEMU does not offer the kvm domain type)");
        }

        if (!facts.CpuHasVirtualizationExtensions)
        {
            var module = facts.KvmModule is null ? string.Empty : $" ({facts.KvmModule})";
            return (Accelerator.Tcg, $"TCG (/dev/kvm{module} works without hardware virtualization: no vmx/svm, and that runs unmodified guests slower than TCG)");
        }

        return (Accelerator.Kvm, "KVM (hardware-assisted virtualization)");
    }
}
