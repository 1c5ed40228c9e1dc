using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>
/// A failed libvirt call, with libvirt's own error code, the part of libvirt that raised it and its
/// message. Built from <c>virGetLastError</c> on the same OS thread as the failing call, because
/// libvirt keeps the last error in thread-local storage.
/// </summary>
public sealed class LibvirtException : Exception
{
    /// <summary>Creates an exception; used by the binding and by tests.</summary>
    public LibvirtException(string function, VirErrorCode code, VirErrorDomain errorDomain, string libvirtMessage)
        : base($"{function} failed: {libvirtMessage} (code {(int)code} {code}, from {errorDomain})")
    {
        Function = function;
        Code = code;
        ErrorDomain = errorDomain;
        LibvirtMessage = libvirtMessage;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public LibvirtException() : this("libvirt", VirErrorCode.InternalError, VirErrorDomain.None, "unknown error") { }

    /// <summary>Creates an exception with a message only.</summary>
    public LibvirtException(string message) : this("libvirt", VirErrorCode.InternalError, VirErrorDomain.None, message) { }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public LibvirtException(string message, Exception innerException) : base(message, innerException)
    {
        Function = "libvirt";
        Code = VirErrorCode.InternalError;
        LibvirtMessage = message;
    }

    /// <summary>The C function that failed, e.g. <c>virDomainCreateWithFlags</c>.</summary>
    public string Function { get; }

    /// <summary>libvirt's error code (<c>virErrorNumber</c>).</summary>
    public VirErrorCode Code { get; }

    /// <summary>The part of libvirt that raised the error (<c>virErrorDomain</c>).</summary>
    public VirErrorDomain ErrorDomain { get; }

    /// <summary>libvirt's own human-readable message.</summary>
    public string LibvirtMessage { get; }

    /// <summary>True when the error says the connection to the daemon is gone (restart, crash, network).</summary>
    public bool IsConnectionLost =>
        Code is VirErrorCode.NoConnect or VirErrorCode.InvalidConn
        || (ErrorDomain is VirErrorDomain.Rpc or VirErrorDomain.Remote
            && Code is VirErrorCode.InternalError or VirErrorCode.SystemError or VirErrorCode.Rpc);

    /// <summary>
    /// Reads libvirt's last error of this thread. Must be called in the same synchronous method as the
    /// failing native call: never after an <c>await</c>.
    /// </summary>
    internal static unsafe LibvirtException FromLastError(string function)
    {
        var error = NativeMethods.virGetLastError();
        if (error is null)
        {
            return new LibvirtException(function, VirErrorCode.InternalError, VirErrorDomain.None, "libvirt reported no error detail");
        }

        var exception = new LibvirtException(
            function,
            (VirErrorCode)error->Code,
            (VirErrorDomain)error->Domain,
            NativeText.Borrow(error->Message) ?? "no message");
        NativeMethods.virResetLastError();
        return exception;
    }
}
