using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using Ravada.Back.Tests.Support;
using Ravada.Config;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>
/// The whole back end on MariaDB and PostgreSQL, as the seed installs it with MySQL: a daemon and its command
/// line on a server database, creating a base and starting a clone of it.
/// </summary>
[Collection(nameof(BackEnd))]
public sealed class ServerDatabaseTests(BackEndBed bed)
{
    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    public async Task The_back_end_creates_bases_and_starts_clones_on_a_server_database(string driver)
    {
        var server = new DbConnectionStringBuilder
        {
            ConnectionString = Environment.GetEnvironmentVariable(driver == "mysql" ? "RAVADA_TEST_MYSQL" : "RAVADA_TEST_POSTGRES")
                ?? throw new InvalidOperationException("the database servers are not set up: run ./test.sh, which starts them"),
        };
        var database = $"ravada_test_back_{bed.RunId}_{driver}";
        await ExecuteOnServerAsync(driver, server, $"CREATE DATABASE {database}");
        var directory = Path.Combine(bed.Directory, driver);
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "ravada.conf");
        await File.WriteAllTextAsync(configPath, $"""
            db:
              driver: {driver}
              hostname: {server[driver == "mysql" ? "Server" : "Host"]}
              port: {server["Port"]}
              database: {database}
              user: {server[driver == "mysql" ? "User ID" : "Username"]}
              password: {server["Password"]}
            storage:
              pool: {bed.PoolName}
            network: {bed.NetworkName}
            backend:
              pid_file: {directory}/rvd_back.pid
              wakeup_socket: {directory}/wake.sock
              screenshot_interval_seconds: 0
            firewall:
              enabled: false
            """);
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var daemon = RvdBackProcess.Start("--config", configPath);
        ServiceProvider? services = null;
        try
        {
            await daemon.WaitForOutputAsync("Request workers started", TimeSpan.FromSeconds(60));
            var added = await RvdBackProcess.RunWithInputAsync("server-admin-password\n", "--config", configPath, "--add-user", "srvadmin", "--admin");
            Assert.True(added.ExitCode == 0, added.Output);
            var collection = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            collection.AddRavadaBack(RavadaConfiguration.Load(configPath).Configuration);
            services = collection.BuildServiceProvider();
            var queue = services.GetRequiredService<IRequestQueue>();
            var machines = services.GetRequiredService<IMachineStore>();
            var admin = (await services.GetRequiredService<IUserStore>().FindByNameAsync("srvadmin"))!;
            async Task<Request> RunAsync(string command, long? machineId, RequestArguments arguments)
            {
                var queued = await queue.EnqueueAsync(new NewRequest { Command = command, UserId = admin.Id, MachineId = machineId, Arguments = arguments });
                while (true)
                {
                    var current = (await queue.FindAsync(queued.Id))!;
                    if (current.IsFinished)
                    {
                        Assert.True(current.Status == RequestStatus.Done, $"{command}: {current.Error}");
                        return current;
                    }

                    await Task.Delay(50);
                }
            }

            var name = bed.Name($"srv-{driver}");
            await RunAsync(RequestCommands.Create, null, RequestArguments.Empty.With("name", name).With("iso", BackEndBed.GrubIso).With("memory_mib", 192).With("disk_gib", 1));
            var baseMachine = (await machines.FindByNameAsync(name))!;
            await RunAsync(RequestCommands.PrepareBase, baseMachine.Id, RequestArguments.Empty.With("with_cd", true));
            var clone = await RunAsync(RequestCommands.Clone, null, RequestArguments.Empty.With("base_id", baseMachine.Id).With("start", true));
            var cloneId = JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64();

            Assert.Equal(MachineState.Running, (await machines.FindAsync(cloneId))!.State);
            Assert.Matches($@"{name}-srvadmin\s+running", (await RvdBackProcess.RunToEndAsync("--config", configPath, "--list")).Output);

            await RunAsync(RequestCommands.Remove, cloneId, RequestArguments.Empty);
            await RunAsync(RequestCommands.Remove, baseMachine.Id, RequestArguments.Empty);
        }
        finally
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }

            await daemon.TerminateAsync(TimeSpan.FromSeconds(60));
            await ExecuteOnServerAsync(driver, server, driver == "mysql" ? $"DROP DATABASE {database}" : $"DROP DATABASE {database} WITH (FORCE)");
        }
    }

    private static async Task ExecuteOnServerAsync(string driver, DbConnectionStringBuilder server, string statement)
    {
        await using DbConnection connection = driver == "mysql"
            ? new MySqlConnection(server.ConnectionString)
            : new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        await command.ExecuteNonQueryAsync();
    }
}
