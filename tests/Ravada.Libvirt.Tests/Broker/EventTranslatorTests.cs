using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Broker;

namespace Ravada.Libvirt.Tests.Broker;

public sealed class EventTranslatorTests
{
    private static readonly DateTimeOffset At = new(2025, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid MachineId = Guid.Parse("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f");
    private const string MachineName = "alice-desktop";

    /// <summary>Every lifecycle event and detail of libvirt 9.0 (libvirt-domain.h), in libvirt's order.</summary>
    public static TheoryData<VirDomainEventType, int, MachineTransition, string> LifecycleTable => new()
    {
        { VirDomainEventType.Defined, 0, MachineTransition.Defined, "added" },
        { VirDomainEventType.Defined, 1, MachineTransition.Defined, "updated" },
        { VirDomainEventType.Defined, 2, MachineTransition.Defined, "renamed" },
        { VirDomainEventType.Defined, 3, MachineTransition.Defined, "from-snapshot" },
        { VirDomainEventType.Undefined, 0, MachineTransition.Undefined, "removed" },
        { VirDomainEventType.Undefined, 1, MachineTransition.Undefined, "renamed" },
        { VirDomainEventType.Started, 0, MachineTransition.Started, "booted" },
        { VirDomainEventType.Started, 1, MachineTransition.Started, "migrated" },
        { VirDomainEventType.Started, 2, MachineTransition.Started, "restored" },
        { VirDomainEventType.Started, 3, MachineTransition.Started, "from-snapshot" },
        { VirDomainEventType.Started, 4, MachineTransition.Started, "wakeup" },
        { VirDomainEventType.Suspended, 0, MachineTransition.Paused, "paused" },
        { VirDomainEventType.Suspended, 1, MachineTransition.Paused, "migrated" },
        { VirDomainEventType.Suspended, 2, MachineTransition.Paused, "io-error" },
        { VirDomainEventType.Suspended, 3, MachineTransition.Paused, "watchdog" },
        { VirDomainEventType.Suspended, 4, MachineTransition.Paused, "restored" },
        { VirDomainEventType.Suspended, 5, MachineTransition.Paused, "from-snapshot" },
        { VirDomainEventType.Suspended, 6, MachineTransition.Paused, "api-error" },
        { VirDomainEventType.Suspended, 7, MachineTransition.Paused, "postcopy" },
        { VirDomainEventType.Suspended, 8, MachineTransition.Paused, "postcopy-failed" },
        { VirDomainEventType.Resumed, 0, MachineTransition.Resumed, "unpaused" },
        { VirDomainEventType.Resumed, 1, MachineTransition.Resumed, "migrated" },
        { VirDomainEventType.Resumed, 2, MachineTransition.Resumed, "from-snapshot" },
        { VirDomainEventType.Resumed, 3, MachineTransition.Resumed, "postcopy" },
        { VirDomainEventType.Resumed, 4, MachineTransition.Resumed, "postcopy-failed" },
        { VirDomainEventType.Stopped, 0, MachineTransition.Stopped, "shutdown" },
        { VirDomainEventType.Stopped, 1, MachineTransition.Stopped, "destroyed" },
        { VirDomainEventType.Stopped, 2, MachineTransition.Stopped, "crashed" },
        { VirDomainEventType.Stopped, 3, MachineTransition.Stopped, "migrated" },
        { VirDomainEventType.Stopped, 4, MachineTransition.Stopped, "saved" },
        { VirDomainEventType.Stopped, 5, MachineTransition.Stopped, "failed" },
        { VirDomainEventType.Stopped, 6, MachineTransition.Stopped, "from-snapshot" },
        { VirDomainEventType.Shutdown, 0, MachineTransition.ShuttingDown, "finished" },
        { VirDomainEventType.Shutdown, 1, MachineTransition.ShuttingDown, "guest" },
        { VirDomainEventType.Shutdown, 2, MachineTransition.ShuttingDown, "host" },
        { VirDomainEventType.PmSuspended, 0, MachineTransition.GuestSuspended, "memory" },
        { VirDomainEventType.PmSuspended, 1, MachineTransition.GuestSuspended, "disk" },
        { VirDomainEventType.Crashed, 0, MachineTransition.Crashed, "panicked" },
        { VirDomainEventType.Crashed, 1, MachineTransition.Crashed, "crashloaded" },
    };

    [Theory]
    [MemberData(nameof(LifecycleTable))]
    public void Every_lifecycle_event_and_detail_has_its_transition_and_name(VirDomainEventType eventType, int detail, MachineTransition transition, string detailName)
    {
        var translated = EventTranslator.Translate(new VirDomainLifecycleEvent(MachineId, MachineName, eventType, detail), At);

        Assert.Equal(new MachineLifecycleEvent(At, MachineId, MachineName, transition, detailName), translated);
    }

    [Fact]
    public void The_stopped_details_have_their_own_enum_and_agree_with_the_table()
    {
        Assert.Equal(1, (int)VirDomainEventStoppedDetail.Destroyed);
        Assert.Equal(4, (int)VirDomainEventStoppedDetail.Saved);
        Assert.Equal(
            "saved",
            Assert.IsType<MachineLifecycleEvent>(EventTranslator.Translate(
                new VirDomainLifecycleEvent(MachineId, MachineName, VirDomainEventType.Stopped, (int)VirDomainEventStoppedDetail.Saved), At)).Detail);
    }

    [Theory]
    [InlineData(VirDomainEventType.Stopped, 7)]
    [InlineData(VirDomainEventType.Started, 99)]
    [InlineData(VirDomainEventType.Crashed, -1)]
    public void A_detail_newer_than_this_code_keeps_its_number(VirDomainEventType eventType, int detail)
    {
        var translated = Assert.IsType<MachineLifecycleEvent>(EventTranslator.Translate(new VirDomainLifecycleEvent(MachineId, MachineName, eventType, detail), At));

        Assert.Equal($"detail-{detail}", translated.Detail);
    }

    [Fact]
    public void A_lifecycle_event_type_newer_than_this_code_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EventTranslator.Translate(new VirDomainLifecycleEvent(MachineId, MachineName, (VirDomainEventType)9, 0), At));
    }

    [Fact]
    public void A_reboot_becomes_a_rebooted_event()
    {
        var translated = EventTranslator.Translate(new VirDomainRebootEvent(MachineId, MachineName), At);

        Assert.Equal(new MachineRebootedEvent(At, MachineId, MachineName), translated);
    }

    [Theory]
    [InlineData(VirDomainEventGraphicsPhase.Connect, DisplayClientPhase.Connected)]
    [InlineData(VirDomainEventGraphicsPhase.Initialize, DisplayClientPhase.Authenticated)]
    [InlineData(VirDomainEventGraphicsPhase.Disconnect, DisplayClientPhase.Disconnected)]
    public void Display_client_phases_carry_the_clients_address(VirDomainEventGraphicsPhase phase, DisplayClientPhase expected)
    {
        var graphics = new VirDomainGraphicsEvent(
            MachineId,
            MachineName,
            phase,
            Local: new VirGraphicsAddress(0, "127.0.0.1", "5900"),
            Remote: new VirGraphicsAddress(0, "192.168.1.23", "51234"),
            AuthScheme: "spice",
            Subject: []);

        var translated = EventTranslator.Translate(graphics, At);

        Assert.Equal(new DisplayClientEvent(At, MachineId, MachineName, expected, "192.168.1.23"), translated);
    }

    [Fact]
    public void A_display_client_without_a_remote_address_has_none()
    {
        var noRemote = new VirDomainGraphicsEvent(MachineId, MachineName, VirDomainEventGraphicsPhase.Connect, null, null, "none", []);
        var emptyRemote = noRemote with { Remote = new VirGraphicsAddress(2, string.Empty, string.Empty) };

        Assert.Null(Assert.IsType<DisplayClientEvent>(EventTranslator.Translate(noRemote, At)).ClientAddress);
        Assert.Null(Assert.IsType<DisplayClientEvent>(EventTranslator.Translate(emptyRemote, At)).ClientAddress);
    }

    [Theory]
    [InlineData(VirAgentLifecycleState.Connected, VirAgentLifecycleReason.Channel, true)]
    [InlineData(VirAgentLifecycleState.Connected, VirAgentLifecycleReason.DomainStarted, true)]
    [InlineData(VirAgentLifecycleState.Disconnected, VirAgentLifecycleReason.Channel, false)]
    [InlineData(VirAgentLifecycleState.Disconnected, VirAgentLifecycleReason.Unknown, false)]
    public void The_guest_agent_connecting_or_leaving_is_reported(VirAgentLifecycleState state, VirAgentLifecycleReason reason, bool connected)
    {
        var translated = EventTranslator.Translate(new VirDomainAgentLifecycleEvent(MachineId, MachineName, state, reason), At);

        Assert.Equal(new GuestAgentEvent(At, MachineId, MachineName, connected), translated);
    }

    [Fact]
    public void An_event_kind_this_code_does_not_know_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTranslator.Translate(new UnknownEvent(MachineId, MachineName), At));
        Assert.Throws<ArgumentNullException>(() => EventTranslator.Translate(null!, At));
    }

    [Theory]
    [InlineData(VirDomainState.NoState, false, MachineState.Unknown)]
    [InlineData(VirDomainState.Running, false, MachineState.Running)]
    [InlineData(VirDomainState.Blocked, false, MachineState.Running)]
    [InlineData(VirDomainState.Paused, false, MachineState.Paused)]
    [InlineData(VirDomainState.Shutdown, false, MachineState.ShuttingDown)]
    [InlineData(VirDomainState.Shutoff, false, MachineState.ShutOff)]
    [InlineData(VirDomainState.Shutoff, true, MachineState.Hibernated)]
    [InlineData(VirDomainState.Crashed, false, MachineState.Crashed)]
    [InlineData(VirDomainState.PmSuspended, false, MachineState.GuestSuspended)]
    [InlineData((VirDomainState)42, false, MachineState.Unknown)]
    public void Libvirt_states_map_to_the_brokers_and_a_managed_save_makes_an_off_machine_hibernated(VirDomainState state, bool hasManagedSave, MachineState expected)
    {
        Assert.Equal(expected, EventTranslator.State(state, hasManagedSave));
    }

    [Theory]
    [InlineData(VirDomainState.Running, MachineState.Running)]
    [InlineData(VirDomainState.Paused, MachineState.Paused)]
    [InlineData(VirDomainState.Crashed, MachineState.Crashed)]
    public void A_managed_save_image_only_matters_while_the_machine_is_off(VirDomainState state, MachineState expected)
    {
        Assert.Equal(expected, EventTranslator.State(state, hasManagedSave: true));
    }

    private sealed record UnknownEvent(Guid DomainUuid, string DomainName) : VirDomainEvent(DomainUuid, DomainName);
}
