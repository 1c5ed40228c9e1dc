using Ravada.Core.Hypervisor;

namespace Ravada.Core.Tests.Hypervisor;

public sealed class AcceleratorPolicyTests
{
    private static readonly VirtualizationFacts IntelHost = new(KvmDeviceUsable: true, CpuHasVirtualizationExtensions: true, HypervisorOffersKvm: true, KvmModule: "kvm_intel");

    private static readonly VirtualizationFacts NoKvmDevice = new(KvmDeviceUsable: false, CpuHasVirtualizationExtensions: true, HypervisorOffersKvm: true, KvmModule: null);

    private static readonly VirtualizationFacts QemuWithoutKvm = new(KvmDeviceUsable: true, CpuHasVirtualizationExtensions: true, HypervisorOffersKvm: false, KvmModule: "kvm_intel");

    private static readonly VirtualizationFacts ParavirtualKvmSandbox = new(KvmDeviceUsable: true, CpuHasVirtualizationExtensions: false, HypervisorOffersKvm: true, KvmModule: "kvm_pvm");

    [Fact]
    public void Auto_picks_kvm_when_the_device_the_cpu_extensions_and_qemu_all_agree()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, IntelHost);

        Assert.Equal(Accelerator.Kvm, accelerator);
        Assert.StartsWith("KVM", reason, StringComparison.Ordinal);
        Assert.Contains("hardware-assisted virtualization", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_falls_back_to_tcg_when_dev_kvm_is_missing_or_not_accessible()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, NoKvmDevice);

        Assert.Equal(Accelerator.Tcg, accelerator);
        Assert.StartsWith("TCG", reason, StringComparison.Ordinal);
        Assert.Contains("/dev/kvm is missing or not accessible", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_falls_back_to_tcg_when_qemu_does_not_offer_the_kvm_domain_type()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, QemuWithoutKvm);

        Assert.Equal(Accelerator.Tcg, accelerator);
        Assert.StartsWith("TCG", reason, StringComparison.Ordinal);
        Assert.Contains("QEMU does not offer the kvm domain type", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_refuses_a_kvm_pvm_device_without_vmx_or_svm_and_names_the_module()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, ParavirtualKvmSandbox);

        Assert.Equal(Accelerator.Tcg, accelerator);
        Assert.StartsWith("TCG", reason, StringComparison.Ordinal);
        Assert.Contains("/dev/kvm (kvm_pvm) works without hardware virtualization", reason, StringComparison.Ordinal);
        Assert.Contains("no vmx/svm", reason, StringComparison.Ordinal);
        Assert.Contains("slower than TCG", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_refuses_kvm_without_vmx_or_svm_even_when_the_module_is_unknown()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, ParavirtualKvmSandbox with { KvmModule = null });

        Assert.Equal(Accelerator.Tcg, accelerator);
        Assert.Contains("/dev/kvm works without hardware virtualization", reason, StringComparison.Ordinal);
        Assert.Contains("no vmx/svm", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_device_is_reported_before_a_missing_domain_type_or_missing_cpu_extensions()
    {
        var nothing = new VirtualizationFacts(KvmDeviceUsable: false, CpuHasVirtualizationExtensions: false, HypervisorOffersKvm: false, KvmModule: null);

        var (_, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Auto, nothing);

        Assert.Contains("/dev/kvm is missing or not accessible", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    public void Tcg_in_the_configuration_is_always_honoured(bool device, bool cpuExtensions, bool offered)
    {
        var facts = new VirtualizationFacts(device, cpuExtensions, offered, KvmModule: null);

        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Tcg, facts);

        Assert.Equal(Accelerator.Tcg, accelerator);
        Assert.StartsWith("TCG", reason, StringComparison.Ordinal);
        Assert.Contains("chosen in the configuration", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Kvm_in_the_configuration_is_honoured_on_a_hardware_assisted_host()
    {
        var (accelerator, reason) = AcceleratorPolicy.Choose(AcceleratorPreference.Kvm, IntelHost);

        Assert.Equal(Accelerator.Kvm, accelerator);
        Assert.StartsWith("KVM", reason, StringComparison.Ordinal);
        Assert.Contains("chosen in the configuration", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Kvm_in_the_configuration_overrides_the_doubt_about_kvm_pvm()
    {
        var (accelerator, _) = AcceleratorPolicy.Choose(AcceleratorPreference.Kvm, ParavirtualKvmSandbox);

        Assert.Equal(Accelerator.Kvm, accelerator);
    }

    [Fact]
    public void Kvm_in_the_configuration_on_a_host_without_dev_kvm_fails_as_unsupported()
    {
        var error = Assert.Throws<HypervisorException>(() => AcceleratorPolicy.Choose(AcceleratorPreference.Kvm, NoKvmDevice));

        Assert.Equal(HypervisorFailure.Unsupported, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("/dev/kvm is not usable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kvm_in_the_configuration_when_qemu_does_not_offer_kvm_fails_as_unsupported()
    {
        var error = Assert.Throws<HypervisorException>(() => AcceleratorPolicy.Choose(AcceleratorPreference.Kvm, QemuWithoutKvm));

        Assert.Equal(HypervisorFailure.Unsupported, error.Kind);
    }

    [Fact]
    public void Facts_are_required()
    {
        Assert.Throws<ArgumentNullException>(() => AcceleratorPolicy.Choose(AcceleratorPreference.Auto, null!));
    }
}
