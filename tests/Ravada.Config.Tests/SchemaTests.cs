using System.Text.RegularExpressions;

namespace Ravada.Config.Tests;

public sealed partial class SchemaTests
{
    public static TheoryData<string> KeyNames => [.. RavadaConfigSchema.Keys.Select(key => key.Name)];

    [Fact]
    public void Every_key_is_named_once()
    {
        Assert.Equal(RavadaConfigSchema.Keys.Count, RavadaConfigSchema.Keys.Select(key => key.Name).Distinct().Count());
    }

    [Fact]
    public void The_sections_are_db_libvirt_storage_display_backend_firewall_frontend_and_ldap()
    {
        Assert.Equal(["db", "libvirt", "storage", "display", "backend", "firewall", "frontend", "ldap"], RavadaConfigSchema.Sections);
    }

    [Theory]
    [MemberData(nameof(KeyNames))]
    public void A_key_is_snake_case_has_a_one_line_description_and_a_default_that_follows_its_rule(string name)
    {
        var key = RavadaConfigSchema.Find(name)!;

        Assert.Matches(SnakeCaseKey(), key.Name);
        Assert.False(string.IsNullOrWhiteSpace(key.Description));
        Assert.DoesNotContain('\n', key.Description);
        Assert.True(key.Default is null || key.Rule.TryNormalize(key.Default, out _), $"{name}'s default '{key.Default}' breaks its rule");
        Assert.False(key.Default is not null && key.DefaultFrom is not null, $"{name} has two defaults");
    }

    [Fact]
    public void A_default_taken_from_another_key_comes_from_an_earlier_scalar_key_whose_default_it_accepts()
    {
        var keys = RavadaConfigSchema.Keys.ToList();
        var following = keys.Where(key => key.DefaultFrom is not null).ToList();

        Assert.Equal(["storage.base_pool", "storage.clone_pool", "storage.iso_pool", "display.public_address"], following.Select(key => key.Name));
        Assert.All(following, key =>
        {
            var source = RavadaConfigSchema.Find(key.DefaultFrom!)!;
            Assert.True(keys.IndexOf(source) < keys.IndexOf(key));
            Assert.Equal(ConfigKeyShape.Scalar, source.Shape);
            Assert.True(key.Rule.TryNormalize(source.Default!, out _));
        });
    }

    [Fact]
    public void Configuration_keys_are_the_names_with_colons_except_the_log_level()
    {
        Assert.All(
            RavadaConfigSchema.Keys.Where(key => key.Name != "log_level"),
            key => Assert.Equal(key.Name.Replace('.', ':'), key.ConfigurationKey));
        Assert.Equal("Logging:LogLevel:Default", RavadaConfigSchema.Find("log_level")!.ConfigurationKey);
    }

    [Theory]
    [InlineData("fe80::1%2", false)]
    [InlineData("1", false)]
    [InlineData("10.1", false)]
    [InlineData("256.0.0.1", false)]
    [InlineData("10.0.0.1", true)]
    [InlineData("::", true)]
    public void Ip_addresses_are_written_in_full(string text, bool valid)
    {
        Assert.Equal(valid, ValueRule.IpAddress.TryNormalize(text, out _));
    }

    [GeneratedRegex(@"^[a-z]+(_[a-z]+)*(\.[a-z]+(_[a-z]+)*)?\z")]
    private static partial Regex SnakeCaseKey();
}
