using Ravada.Core.Hypervisor;

namespace Ravada.Core.Tests.Hypervisor;

public sealed class HypervisorExceptionTests
{
    public static TheoryData<HypervisorFailure> EveryKind => [.. Enum.GetValues<HypervisorFailure>()];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Only_an_unavailable_node_is_worth_retrying(HypervisorFailure kind)
    {
        var error = new HypervisorException(kind, "start machine alice-desktop: something");

        Assert.Equal(kind == HypervisorFailure.Unavailable, error.IsTransient);
    }

    [Fact]
    public void The_kind_message_and_cause_are_kept()
    {
        var cause = new InvalidOperationException("libvirt said no");

        var error = new HypervisorException(HypervisorFailure.NotFound, "find machine 42", cause);

        Assert.Equal(HypervisorFailure.NotFound, error.Kind);
        Assert.Equal("find machine 42", error.Message);
        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public void The_plain_constructors_describe_a_generic_failure_that_is_not_retried()
    {
        var cause = new IOException("disk full");

        Assert.Equal(HypervisorFailure.Failed, new HypervisorException().Kind);
        Assert.Equal(HypervisorFailure.Failed, new HypervisorException("boom").Kind);
        var withCause = new HypervisorException("boom", cause);
        Assert.Equal(HypervisorFailure.Failed, withCause.Kind);
        Assert.Same(cause, withCause.InnerException);
        Assert.False(withCause.IsTransient);
    }
}
