using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>
/// Groups in rights, set from the command line and decided by the real daemon: grants given to a group, and a
/// public base restricted to the members of some groups.
/// </summary>
[Collection(nameof(BackEnd))]
public sealed class GroupAccessTests(BackEndBed bed)
{
    [Fact]
    public async Task A_base_restricted_to_a_group_is_cloned_by_its_members_only_and_a_refusal_creates_nothing()
    {
        var grub = await bed.GrubBaseAsync();
        var member = await bed.UserAsync("physics-student");
        var outsider = await bed.UserAsync("history-student");
        var machines = bed.Get<IMachineStore>();
        var group = bed.Name("physics");

        var allowed = await bed.RunCliAsync(null, "--allow-group", grub.Name, group);
        try
        {
            Assert.Equal((0, $"{grub.Name} may be used by members of {group}."), (allowed.ExitCode, allowed.Output.Trim()));
            Assert.Equal((0, $"physics-student is a member of {group}."), await TrimmedAsync("--add-to-group", "physics-student", group));
            var clonesBefore = await machines.ListClonesAsync(grub.Id);

            var refused = await bed.RunAsync(RequestCommands.Clone, outsider, arguments: RequestArguments.Empty.With("base_id", grub.Id));

            Assert.Equal(RequestStatus.Failed, refused.Status);
            Assert.Equal($"You may not clone {grub.Name}.", refused.Error);
            Assert.Equal(clonesBefore.Select(clone => clone.Id), (await machines.ListClonesAsync(grub.Id)).Select(clone => clone.Id));

            var cloned = await bed.RunOkAsync(RequestCommands.Clone, member, arguments: RequestArguments.Empty.With("base_id", grub.Id));
            var cloneId = JsonDocument.Parse(cloned.Result!).RootElement.GetProperty("machine").GetInt64();
            Assert.Equal(member.Id, (await machines.FindAsync(cloneId))!.OwnerId);
            await bed.RunOkAsync(RequestCommands.Remove, member, cloneId);

            Assert.Equal(0, (await bed.RunCliAsync(null, "--remove-from-group", "physics-student", group)).ExitCode);
            var afterLeaving = await bed.RunAsync(RequestCommands.Clone, member, arguments: RequestArguments.Empty.With("base_id", grub.Id));
            Assert.Equal(RequestStatus.Failed, afterLeaving.Status);
        }
        finally
        {
            var opened = await bed.RunCliAsync(null, "--disallow-group", grub.Name, group);
            Assert.Equal((0, $"{grub.Name} is no longer restricted to groups: every user with clone may use it."), (opened.ExitCode, opened.Output.Trim()));
        }

        var open = await bed.RunOkAsync(RequestCommands.Clone, outsider, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        await bed.RunOkAsync(RequestCommands.Remove, outsider, JsonDocument.Parse(open.Result!).RootElement.GetProperty("machine").GetInt64());
    }

    [Fact]
    public async Task Grants_given_to_a_group_hold_for_its_members_until_taken_back()
    {
        var grub = await bed.GrubBaseAsync();
        var teacher = await bed.UserAsync("group-teacher");
        var group = bed.Name("teachers");
        var name = bed.Name("named-by-teacher");
        var machines = bed.Get<IMachineStore>();
        var named = RequestArguments.Empty.With("base_id", grub.Id).With("name", name);

        var before = await bed.RunAsync(RequestCommands.Clone, teacher, arguments: named);
        Assert.Equal(RequestStatus.Failed, before.Status);
        Assert.Null(await machines.FindByNameAsync(name));

        Assert.Equal((0, $"Members of {group} now have clone_all."), await TrimmedAsync("--grant-group", group, "clone_all"));
        Assert.Equal((0, $"Members of {group} now have start_limit=3."), await TrimmedAsync("--grant-group", group, "start_limit=3"));
        Assert.Equal(0, (await bed.RunCliAsync(null, "--add-to-group", "group-teacher", group)).ExitCode);
        var shown = await bed.RunCliAsync(null, "--show-user", "group-teacher");
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains($"groups: {group}", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"from {group}: clone_all, start_limit=3", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"{group}: 1 member(s), grants clone_all, start_limit=3", (await bed.RunCliAsync(null, "--list-groups")).Output, StringComparison.Ordinal);

        var cloned = await bed.RunOkAsync(RequestCommands.Clone, teacher, arguments: named);
        var cloneId = JsonDocument.Parse(cloned.Result!).RootElement.GetProperty("machine").GetInt64();
        Assert.Equal(name, (await machines.FindAsync(cloneId))!.Name);
        await bed.RunOkAsync(RequestCommands.Remove, teacher, cloneId);

        Assert.Equal((0, $"Members of {group} no longer get clone_all from it."), await TrimmedAsync("--revoke-group", group, "clone_all"));
        var after = await bed.RunAsync(RequestCommands.Clone, teacher, arguments: named);
        Assert.Equal(RequestStatus.Failed, after.Status);
        Assert.Null(await machines.FindByNameAsync(name));
    }

    [Theory]
    [InlineData("there is no permission named fly", "--grant", "group-someone", "fly")]
    [InlineData("admin is not a grant to give: make an administrator with rvd_back --make-admin NAME", "--grant-group", "staff", "admin")]
    [InlineData("start_limit needs a number from 1 to 10000, as start_limit=3", "--grant", "group-someone", "start_limit")]
    [InlineData("start_limit needs a number from 1 to 10000, as start_limit=3", "--grant", "group-someone", "start_limit=-1")]
    [InlineData("clone takes no value", "--grant", "group-someone", "clone=2")]
    [InlineData("there is no user named nobody-at-all", "--add-to-group", "nobody-at-all", "staff")]
    [InlineData("'tab\tgroup' is not a valid group name", "--add-to-group", "group-someone", "tab\tgroup")]
    [InlineData("there is no group named never-made", "--revoke-group", "never-made", "clone")]
    [InlineData("there is no machine named no-such-base", "--allow-group", "no-such-base", "staff")]
    public async Task Bad_names_and_values_are_refused_with_one_line_and_change_nothing(string error, params string[] arguments)
    {
        await bed.UserAsync("group-someone");
        var groupsBefore = await bed.Get<IUserStore>().ListGroupsAsync();
        var grantsBefore = (await bed.Get<IUserStore>().FindWithGrantsAsync((await bed.UserAsync("group-someone")).Id))!.Grants;

        var refused = await bed.RunCliAsync(null, arguments);

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"rvd_back: {error}", refused.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(groupsBefore, await bed.Get<IUserStore>().ListGroupsAsync());
        Assert.Equal(grantsBefore, (await bed.Get<IUserStore>().FindWithGrantsAsync((await bed.UserAsync("group-someone")).Id))!.Grants);
    }

    [Fact]
    public async Task A_group_cannot_restrict_a_machine_that_is_not_a_base()
    {
        var owner = await bed.UserAsync("group-owner");
        var grub = await bed.GrubBaseAsync();
        var cloned = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        var clone = (await bed.Get<IMachineStore>().FindAsync(JsonDocument.Parse(cloned.Result!).RootElement.GetProperty("machine").GetInt64()))!;

        var refused = await bed.RunCliAsync(null, "--allow-group", clone.Name, "staff");

        Assert.Equal((1, $"rvd_back: {clone.Name} is not a base: prepare it with rvd_back --prepare-base {clone.Name}"), (refused.ExitCode, refused.Output.Trim()));
        Assert.Empty(await bed.Get<IMachineStore>().AccessGroupsAsync(clone.Id));
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    private async Task<(int, string)> TrimmedAsync(params string[] arguments)
    {
        var (exitCode, output) = await bed.RunCliAsync(null, arguments);
        return (exitCode, output.Trim());
    }
}
