namespace Ravada.Core.Broker;

/// <summary>The requesting user may not do this; nothing was changed. The message is for that user.</summary>
public sealed class RequestDeniedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestDeniedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequestDeniedException() { }

    /// <summary>Creates the exception.</summary>
    public RequestDeniedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The request cannot succeed as asked (wrong state, name taken…); the message says why and what to do.</summary>
public sealed class RequestRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestRefusedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequestRefusedException() { }

    /// <summary>Creates the exception.</summary>
    public RequestRefusedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Something transient got in the way; the request is tried again later.</summary>
public sealed class RetryLaterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetryLaterException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RetryLaterException() { }

    /// <summary>Creates the exception.</summary>
    public RetryLaterException(string message, Exception innerException) : base(message, innerException) { }
}
