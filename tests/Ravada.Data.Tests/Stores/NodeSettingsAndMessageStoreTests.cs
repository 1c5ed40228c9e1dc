using Ravada.Core.Messages;
using Ravada.Core.Nodes;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class NodeSettingsAndMessageStoreTests
{
    [Theory, DatabaseData]
    public async Task Ensuring_a_node_creates_it_once_and_then_follows_its_uri(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var nodes = database.Get<INodeStore>();

        var created = await nodes.EnsureAsync("kvm2", "qemu+ssh://kvm2/system", Cancel);
        await nodes.EnsureAsync("kvm1", "qemu:///system", Cancel);
        var moved = await nodes.EnsureAsync("kvm2", "qemu+tls://kvm2/system", Cancel);

        Assert.Equal(new Node(created.Id, "kvm2", "qemu+ssh://kvm2/system", true), created);
        Assert.Equal(created with { Uri = "qemu+tls://kvm2/system" }, moved);
        Assert.Equal(["kvm1", "kvm2"], (await nodes.ListAsync(Cancel)).Select(node => node.Name));
    }

    [Theory, DatabaseData]
    public async Task A_setting_is_stored_replaced_and_removed(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var settings = database.Get<ISettingsStore>();

        var missing = await settings.GetAsync("frontend.theme", Cancel);
        await settings.SetAsync("frontend.theme", "dark", Cancel);
        var first = await settings.GetAsync("frontend.theme", Cancel);
        await settings.SetAsync("frontend.theme", "light", Cancel);
        var second = await settings.GetAsync("frontend.theme", Cancel);
        await settings.SetAsync("frontend.theme", null, Cancel);

        Assert.Equal((null, "dark", "light"), (missing, first, second));
        Assert.Null(await settings.GetAsync("frontend.theme", Cancel));
    }

    [Theory, DatabaseData]
    public async Task Messages_are_listed_newest_first_and_read_only_by_their_recipient(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, _) = await OwnerAndNodeAsync(database);
        var messages = database.Get<IMessageStore>();
        var at = database.Time.GetUtcNow();
        var first = await messages.SendAsync(alice.Id, 7, "clone ready", "alice-desktop is running", at, Cancel);
        var second = await messages.SendAsync(alice.Id, null, "quota", null, at.AddMinutes(1), Cancel);
        var third = await messages.SendAsync(alice.Id, null, "maintenance tonight", null, at.AddMinutes(2), Cancel);

        await messages.MarkReadAsync(alice.Id, second.Id, at.AddMinutes(3), Cancel);
        await messages.MarkReadAsync(alice.Id + 1, third.Id, at.AddMinutes(3), Cancel);

        Assert.Equal(new UserMessage(first.Id, alice.Id, 7, "clone ready", "alice-desktop is running", at, null), first);
        Assert.Equal([third.Id, second.Id, first.Id], (await messages.ListAsync(alice.Id, unreadOnly: false, 10, Cancel)).Select(message => message.Id));
        Assert.Equal([third.Id, first.Id], (await messages.ListAsync(alice.Id, unreadOnly: true, 10, Cancel)).Select(message => message.Id));
        Assert.Equal([third.Id], (await messages.ListAsync(alice.Id, unreadOnly: false, 1, Cancel)).Select(message => message.Id));
        Assert.Equal(at.AddMinutes(3), (await messages.ListAsync(alice.Id, unreadOnly: false, 10, Cancel))[1].ReadAt);
    }
}
