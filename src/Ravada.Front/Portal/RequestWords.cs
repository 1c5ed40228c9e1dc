using Ravada.Core.Requests;

namespace Ravada.Front.Portal;

/// <summary>Request commands as a user reads them ("Could not shut down…").</summary>
internal static class RequestWords
{
    public static string Of(string command) => command switch
    {
        RequestCommands.Start => "start",
        RequestCommands.Clone => "create your desktop",
        RequestCommands.Shutdown => "shut down",
        RequestCommands.ForceShutdown => "power off",
        RequestCommands.Reboot => "reboot",
        RequestCommands.ForceReboot => "reset",
        RequestCommands.Hibernate => "hibernate",
        RequestCommands.Resume => "resume",
        RequestCommands.Pause => "pause",
        RequestCommands.Restore => "restore to base",
        RequestCommands.Remove => "remove",
        _ => command.Replace('_', ' '),
    };
}
