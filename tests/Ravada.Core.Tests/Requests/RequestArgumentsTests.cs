using Ravada.Core.Requests;

namespace Ravada.Core.Tests.Requests;

public sealed class RequestArgumentsTests
{
    [Fact]
    public void Arguments_are_kept_in_canonical_form_so_equal_requests_compare_equal()
    {
        var first = RequestArguments.Parse("""{ "b": 2, "a": "x", "c": true }""");
        var second = RequestArguments.Empty.With("c", true).With("a", "x").With("b", 2);

        Assert.Equal("""{"a":"x","b":2,"c":true}""", first.ToJson());
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Typed_getters_read_values_and_refuse_the_wrong_type()
    {
        var arguments = RequestArguments.Parse("""{"name":"desk","memory_mib":2048,"start":false}""");

        Assert.Equal("desk", arguments.GetString("name"));
        Assert.Equal(2048, arguments.GetInt64("memory_mib"));
        Assert.False(arguments.GetBoolean("start"));
        Assert.Null(arguments.GetString("absent"));
        Assert.Throws<RequestArgumentException>(() => arguments.GetInt64("name"));
        Assert.Throws<RequestArgumentException>(() => arguments.GetString("memory_mib"));
        Assert.Throws<RequestArgumentException>(() => arguments.RequireString("absent"));
    }

    [Fact]
    public void Ranges_and_allowed_names_are_enforced_with_messages_that_name_the_argument()
    {
        var arguments = RequestArguments.Parse("""{"vcpus":500,"colour":"red"}""");

        var range = Assert.Throws<RequestArgumentException>(() => arguments.GetInt64InRange("vcpus", 1, 64, 1));
        var unknown = Assert.Throws<RequestArgumentException>(() => arguments.OnlyAllow("vcpus"));

        Assert.Contains("'vcpus' must be between 1 and 64", range.Message, StringComparison.Ordinal);
        Assert.Contains("unknown argument 'colour'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(7, RequestArguments.Empty.GetInt64InRange("vcpus", 1, 64, 7));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"nested\":{\"a\":1}}")]
    [InlineData("{\"list\":[1]}")]
    [InlineData("{\"real\":1.5}")]
    [InlineData("{\"Upper\":1}")]
    [InlineData("{\"bad key\":1}")]
    [InlineData("{\"nul\":null}")]
    [InlineData("{not json")]
    public void Anything_but_a_flat_object_of_strings_integers_and_booleans_is_refused(string json)
    {
        Assert.Throws<RequestArgumentException>(() => RequestArguments.Parse(json));
    }

    [Fact]
    public void Oversized_arguments_are_refused_before_parsing()
    {
        var huge = "{\"a\":\"" + new string('x', RequestArguments.MaxJsonLength) + "\"}";

        Assert.Throws<RequestArgumentException>(() => RequestArguments.Parse(huge));
    }

    [Fact]
    public void Every_command_has_a_concurrency_class_and_unknown_ones_are_refused()
    {
        Assert.Equal(RequestClass.Interactive, RequestCommands.ClassOf(RequestCommands.Start));
        Assert.Equal(RequestClass.Interactive, RequestCommands.ClassOf(RequestCommands.Clone));
        Assert.Equal(RequestClass.Disk, RequestCommands.ClassOf(RequestCommands.PrepareBase));
        Assert.Equal(RequestClass.Maintenance, RequestCommands.ClassOf(RequestCommands.Screenshot));
        Assert.Throws<RequestArgumentException>(() => RequestCommands.ClassOf("rm -rf"));
    }
}
