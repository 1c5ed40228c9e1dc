namespace Ravada.Core.Hypervisor;

/// <summary>What kind of failure a hypervisor reported; decides whether a retry can help.</summary>
public enum HypervisorFailure
{
    /// <summary>The machine, volume or pool does not exist.</summary>
    NotFound,

    /// <summary>Something with that name or id already exists.</summary>
    AlreadyExists,

    /// <summary>The definition or argument was rejected.</summary>
    InvalidRequest,

    /// <summary>The operation does not apply in the current state (e.g. pausing a machine that is off).</summary>
    InvalidState,

    /// <summary>The node is unreachable or restarting; retrying later may succeed.</summary>
    Unavailable,

    /// <summary>The hypervisor or the host cannot do it.</summary>
    Unsupported,

    /// <summary>Any other failure.</summary>
    Failed,
}

/// <summary>A hypervisor operation failed.</summary>
public sealed class HypervisorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HypervisorException(HypervisorFailure kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Creates a generic failure.</summary>
    public HypervisorException() : this(HypervisorFailure.Failed, "hypervisor operation failed") { }

    /// <summary>Creates a generic failure.</summary>
    public HypervisorException(string message) : this(HypervisorFailure.Failed, message) { }

    /// <summary>Creates a generic failure.</summary>
    public HypervisorException(string message, Exception innerException) : this(HypervisorFailure.Failed, message, innerException) { }

    /// <summary>What kind of failure.</summary>
    public HypervisorFailure Kind { get; }

    /// <summary>True when retrying later may succeed.</summary>
    public bool IsTransient => Kind == HypervisorFailure.Unavailable;
}
