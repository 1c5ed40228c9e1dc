using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;

namespace Ravada.Back.Cli;

/// <summary>Finds what a command line names, with the one-line error the administrator sees when it is not there.</summary>
internal static class CliLookup
{
    public static async Task<User> RequireUserAsync(this IUserStore users, string name, CancellationToken cancellationToken) =>
        await users.FindByNameAsync(ValidUserName(name), cancellationToken) ?? throw new CliException($"there is no user named {name}");

    public static async Task<Machine> RequireMachineAsync(this IMachineStore machines, string name, CancellationToken cancellationToken)
    {
        if (!MachineName.IsValid(name))
        {
            throw new CliException($"'{name}' is not a valid machine name");
        }

        return await machines.FindByNameAsync(name, cancellationToken) ?? throw new CliException($"there is no machine named {name}");
    }

    public static string ValidUserName(string name)
    {
        try
        {
            return UserName.Validate(name);
        }
        catch (ArgumentException exception)
        {
            throw new CliException(exception.Message);
        }
    }
}
