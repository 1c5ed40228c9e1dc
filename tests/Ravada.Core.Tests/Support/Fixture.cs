namespace Ravada.Core.Tests.Support;

/// <summary>Captured outputs checked in under Fixtures/ (see Fixtures/README.md for how each was made).</summary>
internal static class Fixture
{
    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
