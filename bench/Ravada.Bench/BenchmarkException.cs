namespace Ravada.Bench;

/// <summary>The benchmark cannot go on: a prerequisite is missing or a measured command failed.</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException()
    {
    }

    public BenchmarkException(string message) : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
