using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace Ravada.Data.Tests.Support;

/// <summary>
/// Runs a theory once per <see cref="DatabaseEngine"/>. Every engine always yields its row: a server that is
/// not configured makes its row fail (see <see cref="TestDatabase"/>) rather than vanish from the results.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseDataAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new([.. Enum.GetValues<DatabaseEngine>().Select(engine => new TheoryDataRow<DatabaseEngine>(engine))]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
