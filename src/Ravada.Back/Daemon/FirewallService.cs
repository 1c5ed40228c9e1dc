using Microsoft.Extensions.Hosting;
using Ravada.Firewall;

namespace Ravada.Back.Daemon;

/// <summary>
/// Keeps the display chain (<c>firewall.chain</c>) equal to the database from start-up on: after each change of
/// machine state, and every two seconds in case someone flushed it. It is left in place when rvd_back stops,
/// so that the display ports stay guarded while the daemon is away.
/// </summary>
internal sealed class FirewallService(DisplayFirewallLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
