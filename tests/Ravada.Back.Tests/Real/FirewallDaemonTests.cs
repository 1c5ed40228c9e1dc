using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ravada.Config;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Users;
using Ravada.Data.Migrations;
using Ravada.Firewall;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>
/// The real rvd_back daemon keeps the display chain: on libvirt's test driver (whose running domain <c>test</c>
/// stands for a machine) with a chain and a port range of the test's own, removed at the end.
/// </summary>
public sealed class FirewallDaemonTests
{
    // The domain libvirt's test:///default driver always has, running.
    private static readonly Guid TestDomain = Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f");

    [Fact]
    public async Task The_daemon_converges_the_chain_at_start_after_a_flush_and_after_a_restart_that_missed_a_change()
    {
        var runId = Guid.NewGuid().ToString("N")[..6];
        var chain = $"rvdtest-{runId}";
        var firstPort = 20000 + (Random.Shared.Next(0, 1200) * 10);
        var directory = Directory.CreateTempSubdirectory($"rvdtest-{runId}-").FullName;
        var configPath = Path.Combine(directory, "ravada.conf");
        await File.WriteAllTextAsync(configPath, $"""
            db:
              driver: sqlite
              file: {directory}/ravada.db
            libvirt:
              uri: test:///default
            admin_workstations:
              - 10.251.0.10
            backend:
              pid_file: {directory}/rvd_back.pid
              wakeup_socket: {directory}/wake.sock
              screenshot_interval_seconds: 0
            firewall:
              chain: {chain}
              display_port_min: {firstPort}
              display_port_max: {firstPort + 9}
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var collection = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddRavadaBack(RavadaConfiguration.Load(configPath).Configuration);
        var services = collection.BuildServiceProvider();
        DotnetProcess? daemon = null;
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(TestContext.Current.CancellationToken);
            var machines = services.GetRequiredService<IMachineStore>();
            var machine = await RunningMachineAsync(services, viewer: "10.251.0.20", port: firstPort + 1);
            string Ports(int first, int last) => string.Create(CultureInfo.InvariantCulture, $"{first}:{last}");
            var range = Ports(firstPort, firstPort + 9);
            string[] openChain =
            [
                $"-N {chain}",
                $"-A {chain} -i lo -p tcp -m tcp --dport {range} -j ACCEPT",
                $"-A {chain} -s 10.251.0.10/32 -p tcp -m tcp --dport {range} -j ACCEPT",
                string.Create(CultureInfo.InvariantCulture, $"-A {chain} -s 10.251.0.20/32 -p tcp -m tcp --dport {firstPort + 1} -j ACCEPT"),
                $"-A {chain} -p tcp -m tcp --dport {range} -j DROP",
            ];

            daemon = RvdBackProcess.Start("--config", configPath);
            await daemon.WaitForOutputAsync("Request workers started", TimeSpan.FromSeconds(60));
            Assert.True(await ChainBecomesAsync(chain, openChain), $"the daemon did not write the chain:\n{daemon.Output}");
            Assert.Equal(
                [$"-A INPUT -p tcp -m tcp --dport {range} --tcp-flags FIN,SYN,RST,ACK SYN -j {chain}"],
                (await Processes.RunCheckedAsync("iptables", "-w", "-S", "INPUT")).Split('\n').Where(line => line.Contains(chain, StringComparison.Ordinal)));

            await Processes.RunCheckedAsync("iptables", "-w", "-F", chain);
            Assert.True(await ChainBecomesAsync(chain, openChain), "the daemon did not restore the flushed chain within 5 s");

            await daemon.KillAsync();
            await daemon.DisposeAsync();
            daemon = null;
            // While the daemon is away, the machine's client changes (libvirt keeps the test domain running, so a
            // reconcile at start-up leaves the state alone) and someone flushes the chain.
            await machines.SetViewerAddressAsync(machine.Id, "10.251.0.30", TestContext.Current.CancellationToken);
            await Processes.RunCheckedAsync("iptables", "-w", "-F", chain);
            daemon = RvdBackProcess.Start("--config", configPath);
            await daemon.WaitForOutputAsync("Request workers started", TimeSpan.FromSeconds(60));

            Assert.True(
                await ChainBecomesAsync(chain, [.. openChain.Select(line => line.Replace("10.251.0.20", "10.251.0.30", StringComparison.Ordinal))]),
                $"the restarted daemon did not write what changed while it was away:\n{daemon.Output}");
            Assert.Equal(MachineState.Running, (await machines.FindAsync(machine.Id, TestContext.Current.CancellationToken))!.State);
        }
        finally
        {
            if (daemon is not null)
            {
                await daemon.DisposeAsync();
            }

            var options = new FirewallOptions { Chain = chain, DisplayPortMin = firstPort, DisplayPortMax = firstPort + 9 };
            await new DisplayFirewall(services.GetRequiredService<IMachineStore>(), Microsoft.Extensions.Options.Options.Create(options), services.GetRequiredService<ILogger<DisplayFirewall>>())
                .RemoveAsync(CancellationToken.None);
            await services.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Machine> RunningMachineAsync(IServiceProvider services, string viewer, int port)
    {
        var cancel = TestContext.Current.CancellationToken;
        var owner = await services.GetRequiredService<IUserStore>().CreateAsync("olga", "hash", isAdmin: false, mustChangePassword: false, cancel);
        var node = await services.GetRequiredService<INodeStore>().EnsureAsync(Environment.MachineName, "test:///default", cancel);
        var machines = services.GetRequiredService<IMachineStore>();
        var machine = await machines.CreateAsync(
            new Machine
            {
                Id = 0,
                Uuid = TestDomain,
                Name = "test",
                OwnerId = owner.Id,
                NodeId = node.Id,
                State = MachineState.Running,
                OsFamily = GuestOsFamily.Linux,
                MemoryMiB = 256,
            },
            cancel);
        await machines.SetDisplaysAsync(machine.Id, [new MachineDisplay(DisplayProtocol.Spice, "0.0.0.0", port, null, "ticket")], cancel);
        await machines.SetViewerAddressAsync(machine.Id, viewer, cancel);
        return machine;
    }

    /// <summary>Whether <c>iptables -S chain</c> shows exactly <paramref name="lines"/> within 5 seconds (the promise of docs/architecture.md).</summary>
    private static async Task<bool> ChainBecomesAsync(string chain, IReadOnlyList<string> lines)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(start) < TimeSpan.FromSeconds(5))
        {
            var (exitCode, output) = await Processes.RunAsync("iptables", "-w", "-S", chain);
            if (exitCode == 0 && output.Split('\n', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(lines))
            {
                return true;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return false;
    }
}
