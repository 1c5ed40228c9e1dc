using System.Data.Common;

namespace Ravada.Data.Connections;

/// <summary>Opens connections to the configured database, ready for use (pragmas set, pooled where possible).</summary>
internal interface IDbConnectionFactory
{
    /// <summary>An open connection; the caller disposes it.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
