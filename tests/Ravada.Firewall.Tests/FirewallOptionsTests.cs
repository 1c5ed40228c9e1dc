using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ravada.Firewall.Tests;

public sealed class FirewallOptionsTests
{
    [Fact]
    public void The_section_and_the_admin_workstations_are_bound()
    {
        var options = Bind(new()
        {
            ["firewall:enabled"] = "false",
            ["firewall:chain"] = "rvd-displays",
            ["firewall:display_port_min"] = "5900",
            ["firewall:display_port_max"] = "5999",
            ["admin_workstations:0"] = "192.168.1.10/32",
            ["admin_workstations:1"] = "2001:db8:10::/64",
            ["frontend:port"] = "8443",
        });

        Assert.False(options.Enabled);
        Assert.Equal("rvd-displays", options.Chain);
        Assert.Equal(new Core.Firewall.PortRange(5900, 5999), options.DisplayPorts);
        Assert.Equal(["192.168.1.10/32", "2001:db8:10::/64"], options.AdminWorkstations);
        Assert.Equal([8443], options.ServicePorts);
    }

    [Theory]
    [InlineData("firewall:chain", "-ravada", "firewall.chain")]
    [InlineData("firewall:chain", "a-chain-name-longer-than-28-chars", "firewall.chain")]
    [InlineData("firewall:chain", "two words", "firewall.chain")]
    [InlineData("firewall:display_port_min", "7000", "firewall.display_port_min")]
    public void A_value_iptables_cannot_take_stops_the_start_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["firewall:display_port_max"] = "6999", [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static FirewallOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddRavadaFirewall(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<FirewallOptions>>().Value;
    }
}
