using System.CommandLine;
using Ravada.Back.Daemon;

namespace Ravada.Back;

/// <summary>
/// rvd_back's command line: with no option it runs the daemon in the foreground; options are the
/// administrator's commands.
/// </summary>
internal static class BackCommandLine
{
    public static RootCommand Build()
    {
        var uri = new Option<string?>("--libvirt-uri")
        {
            Description = "libvirt connection URI (default qemu:///system)",
        };
        var root = new RootCommand("rvd_back: the Ravada back end. It manages the virtual machines and runs as root.")
        {
            uri,
        };
        root.SetAction((parse, cancellation) => DaemonHost.RunAsync(parse.GetValue(uri), cancellation));
        return root;
    }
}
