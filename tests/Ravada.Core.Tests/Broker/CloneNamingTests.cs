using Ravada.Core.Broker;

namespace Ravada.Core.Tests.Broker;

public sealed class CloneNamingTests
{
    [Fact]
    public async Task A_clone_is_named_after_its_base_and_its_user()
    {
        Assert.Equal("win10-alice", await CloneNaming.FreeNameAsync("win10", "alice", 7, _ => Task.FromResult(false)));
    }

    [Fact]
    public async Task Taken_names_get_a_numeric_suffix()
    {
        var taken = new HashSet<string> { "win10-alice", "win10-alice-2" };

        Assert.Equal("win10-alice-3", await CloneNaming.FreeNameAsync("win10", "alice", 7, name => Task.FromResult(taken.Contains(name))));
    }

    [Fact]
    public async Task User_names_that_are_not_valid_in_machine_names_are_replaced_by_the_user_id()
    {
        Assert.Equal("win10-u7", await CloneNaming.FreeNameAsync("win10", "alice@example.org", 7, _ => Task.FromResult(false)));
    }

    [Fact]
    public async Task Long_names_are_shortened_to_fit_with_a_suffix()
    {
        var name = await CloneNaming.FreeNameAsync(new string('b', 60), "alice", 7, _ => Task.FromResult(false));

        Assert.True(name.Length <= 60);
    }
}
