using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;

namespace Ravada.Core.Tests.Broker;

public sealed class RequestProcessorRulesTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(20, 60)]
    public void Retries_back_off_exponentially_up_to_a_minute(int attempts, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RequestProcessor.RetryDelay(attempts));
    }

    [Theory]
    [InlineData(MachineTransition.Started, "booted", MachineState.Running)]
    [InlineData(MachineTransition.Started, "restored", MachineState.Running)]
    [InlineData(MachineTransition.Resumed, "unpaused", MachineState.Running)]
    [InlineData(MachineTransition.Paused, "paused", MachineState.Paused)]
    [InlineData(MachineTransition.Stopped, "destroyed", MachineState.ShutOff)]
    [InlineData(MachineTransition.Stopped, "shutdown", MachineState.ShutOff)]
    [InlineData(MachineTransition.Stopped, "failed", MachineState.ShutOff)]
    [InlineData(MachineTransition.Stopped, "saved", MachineState.Hibernated)]
    [InlineData(MachineTransition.Crashed, "panicked", MachineState.Crashed)]
    [InlineData(MachineTransition.Undefined, "removed", MachineState.Unknown)]
    public void Lifecycle_events_set_the_state_a_user_expects(MachineTransition transition, string detail, MachineState expected)
    {
        Assert.Equal(expected, HypervisorEventRecorder.StateAfter(transition, detail));
    }

    [Fact]
    public void A_definition_change_says_nothing_about_the_state()
    {
        Assert.Null(HypervisorEventRecorder.StateAfter(MachineTransition.Defined, "updated"));
    }

    [Fact]
    public void Display_tickets_are_fresh_each_time_and_fit_vnc()
    {
        var first = DisplayTickets.Create();
        var second = DisplayTickets.Create();

        Assert.Equal(8, first.Vnc.Length);
        Assert.Equal(20, first.Spice.Length);
        Assert.NotEqual(first, second);
    }
}
