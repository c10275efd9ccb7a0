namespace Coffer.Errors;

/// <summary>
/// A request got no HTTP answer: the connection was refused, dropped or timed out. Unlike a
/// registry's error response, this may succeed when tried again.
/// </summary>
public sealed class TransportException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public TransportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and a hint.</summary>
    public TransportException(string message, string hint)
        : base(message, hint)
    {
    }
}
