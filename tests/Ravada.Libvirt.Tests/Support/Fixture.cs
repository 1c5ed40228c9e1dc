namespace Ravada.Libvirt.Tests.Support;

/// <summary>Captured outputs of libvirt checked in under Fixtures/.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
