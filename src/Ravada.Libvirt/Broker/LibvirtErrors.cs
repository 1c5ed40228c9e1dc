using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>Turns libvirt's error codes into the broker's failure kinds.</summary>
public static class LibvirtErrors
{
    /// <summary>The broker's kind of failure for a libvirt error.</summary>
    public static HypervisorFailure Classify(LibvirtException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.IsConnectionLost)
        {
            return HypervisorFailure.Unavailable;
        }

        return exception.Code switch
        {
            VirErrorCode.NoDomain or VirErrorCode.NoStoragePool or VirErrorCode.NoStorageVol or VirErrorCode.NoNetwork
                or VirErrorCode.NoDomainMetadata or VirErrorCode.DeviceMissing => HypervisorFailure.NotFound,
            VirErrorCode.DomExist or VirErrorCode.StorageVolExist or VirErrorCode.NetworkExist => HypervisorFailure.AlreadyExists,
            VirErrorCode.OperationFailed when exception.LibvirtMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase)
                => HypervisorFailure.AlreadyExists,
            VirErrorCode.XmlError or VirErrorCode.XmlDetail or VirErrorCode.XmlInvalidSchema or VirErrorCode.InvalidArg
                or VirErrorCode.ConfigUnsupported => HypervisorFailure.InvalidRequest,
            VirErrorCode.OperationInvalid => HypervisorFailure.InvalidState,
            VirErrorCode.NoSupport or VirErrorCode.ArgumentUnsupported or VirErrorCode.OperationUnsupported => HypervisorFailure.Unsupported,
            VirErrorCode.NoConnect or VirErrorCode.InvalidConn or VirErrorCode.OperationTimeout or VirErrorCode.AgentUnresponsive
                or VirErrorCode.ResourceBusy => HypervisorFailure.Unavailable,
            _ => HypervisorFailure.Failed,
        };
    }

    /// <summary>A <see cref="HypervisorException"/> that says what failed, on what, and libvirt's reason.</summary>
    public static HypervisorException ToHypervisorException(LibvirtException exception, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new HypervisorException(Classify(exception), $"{operation}: {exception.LibvirtMessage}", exception);
    }
}
