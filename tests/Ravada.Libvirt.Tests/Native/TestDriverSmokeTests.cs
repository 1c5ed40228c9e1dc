namespace Ravada.Libvirt.Tests.Native;

public sealed class TestDriverSmokeTests
{
    [Fact]
    public void Opens_the_test_driver_and_lists_its_predefined_domain()
    {
        using var connection = VirConnect.Open("test:///default");
        var domains = connection.ListAllDomains();
        try
        {
            Assert.Contains(domains, domain => domain.GetName() == "test");
        }
        finally
        {
            foreach (var domain in domains)
            {
                domain.Dispose();
            }
        }
    }
}
