using Ravada.Core.Machines;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>The clone right of <see cref="Permissions.CanClone"/> with the base's groups read from the store.</summary>
public static class BaseAccess
{
    /// <summary>Whether <paramref name="user"/> may clone <paramref name="baseMachine"/>.</summary>
    public static async Task<bool> MayCloneAsync(this IMachineStore machines, UserWithGrants user, Machine baseMachine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machines);
        ArgumentNullException.ThrowIfNull(baseMachine);
        return Permissions.CanClone(user, baseMachine, await machines.AccessGroupsAsync(baseMachine.Id, cancellationToken));
    }
}
