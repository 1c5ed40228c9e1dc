using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Broker;

namespace Ravada.Libvirt.Tests.Broker;

public sealed class LibvirtErrorsTests
{
    /// <summary>
    /// Errors as libvirt 9.0 raises them (code, part of libvirt, message as virsh prints it on this host),
    /// and the failure kind the broker must see.
    /// </summary>
    public static TheoryData<string, VirErrorCode, VirErrorDomain, string, HypervisorFailure> ErrorTable => new()
    {
        { "virDomainLookupByUUID", VirErrorCode.NoDomain, VirErrorDomain.Qemu, "Domain not found: no domain with matching uuid '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f'", HypervisorFailure.NotFound },
        { "virStoragePoolLookupByName", VirErrorCode.NoStoragePool, VirErrorDomain.Storage, "Storage pool not found: no storage pool with matching name 'nosuchpool'", HypervisorFailure.NotFound },
        { "virStorageVolLookupByPath", VirErrorCode.NoStorageVol, VirErrorDomain.Storage, "Storage volume not found: no storage vol with matching path '/nonexistent/vol'", HypervisorFailure.NotFound },
        { "virNetworkLookupByName", VirErrorCode.NoNetwork, VirErrorDomain.Network, "Network not found: no network with matching name 'ravada'", HypervisorFailure.NotFound },
        { "virDomainGetMetadata", VirErrorCode.NoDomainMetadata, VirErrorDomain.Domain, "metadata not found: Requested metadata element is not present", HypervisorFailure.NotFound },
        { "virDomainDetachDeviceFlags", VirErrorCode.DeviceMissing, VirErrorDomain.Domain, "device not found: no target device vdb", HypervisorFailure.NotFound },
        { "virDomainDefineXMLFlags", VirErrorCode.OperationFailed, VirErrorDomain.Qemu, "operation failed: domain 'ravada-fixture-desktop' already exists with uuid 6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", HypervisorFailure.AlreadyExists },
        { "virDomainCreateXML", VirErrorCode.DomExist, VirErrorDomain.Qemu, "operation failed: domain 'alice-desktop' is already active", HypervisorFailure.AlreadyExists },
        { "virStorageVolCreateXML", VirErrorCode.StorageVolExist, VirErrorDomain.Storage, "storage volume 'alice-vda.qcow2' exists already", HypervisorFailure.AlreadyExists },
        { "virNetworkDefineXML", VirErrorCode.NetworkExist, VirErrorDomain.Network, "network 'ravada' already exists", HypervisorFailure.AlreadyExists },
        { "virDomainDefineXMLFlags", VirErrorCode.XmlDetail, VirErrorDomain.Domain, "(domain_definition):2: Premature end of data in tag name line 1", HypervisorFailure.InvalidRequest },
        { "virDomainDefineXMLFlags", VirErrorCode.XmlError, VirErrorDomain.Domain, "XML error: missing domain type attribute", HypervisorFailure.InvalidRequest },
        { "virDomainDefineXMLFlags", VirErrorCode.XmlInvalidSchema, VirErrorDomain.Domain, "XML document failed to validate against schema", HypervisorFailure.InvalidRequest },
        { "virStorageVolCreateXML", VirErrorCode.InvalidArg, VirErrorDomain.Storage, "invalid argument: unknown volume format type vmdk2", HypervisorFailure.InvalidRequest },
        { "virDomainCreateWithFlags", VirErrorCode.ConfigUnsupported, VirErrorDomain.Qemu, "unsupported configuration: spice graphics are not supported with this QEMU", HypervisorFailure.InvalidRequest },
        { "virDomainResume", VirErrorCode.OperationInvalid, VirErrorDomain.Qemu, "Requested operation is not valid: domain is already running", HypervisorFailure.InvalidState },
        { "virDomainSuspend", VirErrorCode.OperationInvalid, VirErrorDomain.Qemu, "Requested operation is not valid: domain is not running", HypervisorFailure.InvalidState },
        { "virDomainOpenGraphicsFD", VirErrorCode.NoSupport, VirErrorDomain.Domain, "this function is not supported by the connection driver: virDomainOpenGraphicsFD", HypervisorFailure.Unsupported },
        { "virDomainOpenGraphicsFD", VirErrorCode.ArgumentUnsupported, VirErrorDomain.Domain, "unsupported flags (0x4) in function qemuDomainOpenGraphicsFD", HypervisorFailure.Unsupported },
        { "virDomainManagedSave", VirErrorCode.OperationUnsupported, VirErrorDomain.Qemu, "Operation not supported: managed save is not supported for transient domains", HypervisorFailure.Unsupported },
        { "virDomainLookupByUUID", VirErrorCode.InternalError, VirErrorDomain.Rpc, "internal error: client socket is closed", HypervisorFailure.Unavailable },
        { "virConnectListAllDomains", VirErrorCode.SystemError, VirErrorDomain.Rpc, "Cannot recv data: Connection reset by peer", HypervisorFailure.Unavailable },
        { "virDomainGetState", VirErrorCode.Rpc, VirErrorDomain.Remote, "RPC error", HypervisorFailure.Unavailable },
        { "virConnectOpen", VirErrorCode.NoConnect, VirErrorDomain.Remote, "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", HypervisorFailure.Unavailable },
        { "virDomainGetState", VirErrorCode.InvalidConn, VirErrorDomain.Domain, "invalid connection pointer in virDomainGetState", HypervisorFailure.Unavailable },
        { "virDomainShutdownFlags", VirErrorCode.OperationTimeout, VirErrorDomain.Qemu, "Timed out during operation: cannot acquire state change lock", HypervisorFailure.Unavailable },
        { "virDomainShutdownFlags", VirErrorCode.AgentUnresponsive, VirErrorDomain.Qemu, "Guest agent is not responding: QEMU guest agent is not connected", HypervisorFailure.Unavailable },
        { "virStorageVolDelete", VirErrorCode.ResourceBusy, VirErrorDomain.Storage, "resource busy: volume is in use", HypervisorFailure.Unavailable },
        { "virDomainCreateWithFlags", VirErrorCode.InternalError, VirErrorDomain.Qemu, "internal error: process exited while connecting to monitor", HypervisorFailure.Failed },
        { "virDomainCreateWithFlags", VirErrorCode.OperationFailed, VirErrorDomain.Qemu, "operation failed: guest CPU doesn't match specification", HypervisorFailure.Failed },
        { "virDomainCreateWithFlags", VirErrorCode.SystemError, VirErrorDomain.Qemu, "Cannot access storage file '/pool/gone.qcow2': No such file or directory", HypervisorFailure.Failed },
    };

    [Theory]
    [MemberData(nameof(ErrorTable))]
    public void Each_libvirt_error_is_classified_so_the_broker_knows_whether_to_retry(
        string function, VirErrorCode code, VirErrorDomain errorDomain, string message, HypervisorFailure expected)
    {
        var error = new LibvirtException(function, code, errorDomain, message);

        Assert.Equal(expected, LibvirtErrors.Classify(error));
    }

    [Theory]
    [InlineData(VirErrorCode.InternalError, VirErrorDomain.Rpc, true)]
    [InlineData(VirErrorCode.SystemError, VirErrorDomain.Rpc, true)]
    [InlineData(VirErrorCode.Rpc, VirErrorDomain.Rpc, true)]
    [InlineData(VirErrorCode.InternalError, VirErrorDomain.Remote, true)]
    [InlineData(VirErrorCode.SystemError, VirErrorDomain.Remote, true)]
    [InlineData(VirErrorCode.NoConnect, VirErrorDomain.Remote, true)]
    [InlineData(VirErrorCode.NoConnect, VirErrorDomain.None, true)]
    [InlineData(VirErrorCode.InvalidConn, VirErrorDomain.Domain, true)]
    [InlineData(VirErrorCode.InternalError, VirErrorDomain.Qemu, false)]
    [InlineData(VirErrorCode.SystemError, VirErrorDomain.Storage, false)]
    [InlineData(VirErrorCode.NoDomain, VirErrorDomain.Rpc, false)]
    [InlineData(VirErrorCode.OperationTimeout, VirErrorDomain.Rpc, false)]
    public void The_connection_is_lost_when_the_rpc_layer_fails_or_the_connection_is_gone(VirErrorCode code, VirErrorDomain errorDomain, bool lost)
    {
        Assert.Equal(lost, new LibvirtException("virDomainGetState", code, errorDomain, "message").IsConnectionLost);
    }

    [Fact]
    public void An_existing_name_reported_as_a_generic_operation_failure_is_recognised_by_its_words_in_any_case()
    {
        var error = new LibvirtException("virDomainDefineXMLFlags", VirErrorCode.OperationFailed, VirErrorDomain.Test, "operation failed: domain 'dup' ALREADY EXISTS with uuid x");

        Assert.Equal(HypervisorFailure.AlreadyExists, LibvirtErrors.Classify(error));
    }

    [Fact]
    public void The_hypervisor_exception_says_what_failed_and_libvirts_reason_and_keeps_the_cause()
    {
        var error = new LibvirtException("virDomainSuspend", VirErrorCode.OperationInvalid, VirErrorDomain.Qemu, "Requested operation is not valid: domain is not running");

        var translated = LibvirtErrors.ToHypervisorException(error, "pause machine alice-desktop");

        Assert.Equal(HypervisorFailure.InvalidState, translated.Kind);
        Assert.Equal("pause machine alice-desktop: Requested operation is not valid: domain is not running", translated.Message);
        Assert.Same(error, translated.InnerException);
        Assert.False(translated.IsTransient);
    }

    [Fact]
    public void A_lost_connection_becomes_a_transient_hypervisor_exception()
    {
        var error = new LibvirtException("virDomainLookupByUUID", VirErrorCode.InternalError, VirErrorDomain.Rpc, "internal error: client socket is closed");

        Assert.True(LibvirtErrors.ToHypervisorException(error, "find machine").IsTransient);
    }

    [Fact]
    public void The_libvirt_exception_message_names_the_function_code_and_part_of_libvirt()
    {
        var error = new LibvirtException("virDomainLookupByName", VirErrorCode.NoDomain, VirErrorDomain.Test, "Domain not found");

        Assert.Equal("virDomainLookupByName failed: Domain not found (code 42 NoDomain, from Test)", error.Message);
    }

    [Fact]
    public void The_plain_libvirt_exception_constructors_are_internal_errors_that_are_not_connection_losses()
    {
        var inner = new InvalidOperationException("inner");

        Assert.Equal(VirErrorCode.InternalError, new LibvirtException().Code);
        Assert.Equal("boom", new LibvirtException("boom").LibvirtMessage);
        var wrapped = new LibvirtException("boom", inner);
        Assert.Same(inner, wrapped.InnerException);
        Assert.Equal(VirErrorDomain.None, wrapped.ErrorDomain);
        Assert.False(wrapped.IsConnectionLost);
        Assert.Equal(HypervisorFailure.Failed, LibvirtErrors.Classify(wrapped));
    }

    [Fact]
    public void Classifying_nothing_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => LibvirtErrors.Classify(null!));
        Assert.Throws<ArgumentNullException>(() => LibvirtErrors.ToHypervisorException(null!, "op"));
    }
}
