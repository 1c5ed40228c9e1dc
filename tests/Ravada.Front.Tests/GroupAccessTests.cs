using System.Net;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>The portal offers a base restricted to groups to their members only, and refuses it to everyone else.</summary>
public sealed class GroupAccessTests : IAsyncLifetime
{
    private readonly TestPortal portal = new();
    private Machine physicsBase = null!;
    private Machine openBase = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        var admin = await portal.UserAsync("root", admin: true);
        var member = await portal.UserAsync("marie");
        await portal.UserAsync("herodotus");
        await portal.UserAsync("lecturer");
        physicsBase = await portal.PublicBaseAsync("physics-lab", admin);
        openBase = await portal.PublicBaseAsync("open-desktop", admin);
        var users = portal.Get<IUserStore>();
        var physicists = await users.EnsureGroupAsync("physicists", TestContext.Current.CancellationToken);
        await users.AddToGroupAsync(member.Id, physicists, TestContext.Current.CancellationToken);
        await portal.Get<IMachineStore>().AllowGroupAsync(physicsBase.Id, physicists, TestContext.Current.CancellationToken);
        var lecturers = await users.EnsureGroupAsync("lecturers", TestContext.Current.CancellationToken);
        await users.AddToGroupAsync((await users.FindByNameAsync("lecturer", TestContext.Current.CancellationToken))!.Id, lecturers, TestContext.Current.CancellationToken);
        await users.SetGroupGrantAsync(lecturers, Grant.CloneAll, 1, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_member_of_the_group_sees_the_base_and_gets_a_desktop_from_it()
    {
        using var browser = portal.Browser();

        var page = await browser.LogInToPortalAsync("marie");
        var response = await browser.PostHtmxAsync($"/bases/{physicsBase.Id}/desktop");

        Assert.NotNull(page.QuerySelector($"button[data-base='{physicsBase.Name}']"));
        Assert.NotNull(page.QuerySelector($"button[data-base='{openBase.Name}']"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var request = Assert.Single(await portal.RequestsAsync());
        Assert.Equal(RequestCommands.Clone, request.Command);
        Assert.Equal(physicsBase.Id, request.Arguments.GetInt64("base_id"));
    }

    [Fact]
    public async Task Someone_outside_the_group_neither_sees_the_base_nor_gets_it_nor_its_thumbnail()
    {
        using var browser = portal.Browser();
        await portal.Get<IMachineStore>().SetThumbnailAsync(physicsBase.Id, new Thumbnail([0x89, 0x50, 0x4e, 0x47], "image/png", 1, 1, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);

        var page = await browser.LogInToPortalAsync("herodotus");
        var response = await browser.PostHtmxAsync($"/bases/{physicsBase.Id}/desktop");
        var thumbnail = await browser.GetAsync($"/machines/{physicsBase.Id}/thumbnail");

        Assert.Null(page.QuerySelector($"button[data-base='{physicsBase.Name}']"));
        Assert.NotNull(page.QuerySelector($"button[data-base='{openBase.Name}']"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, thumbnail.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Fact]
    public async Task A_grant_given_to_a_group_opens_the_base_to_its_members_and_administrators_see_it_too()
    {
        using var lecturer = portal.Browser();
        using var admin = portal.Browser();

        var lecturerPage = await lecturer.LogInToPortalAsync("lecturer");
        var adminPage = await admin.LogInToPortalAsync("root");

        Assert.NotNull(lecturerPage.QuerySelector($"button[data-base='{physicsBase.Name}']"));
        Assert.NotNull(adminPage.QuerySelector($"button[data-base='{physicsBase.Name}']"));
    }
}
