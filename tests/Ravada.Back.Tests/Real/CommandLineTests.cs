using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Libvirt.Xml;
using Ravada.Libvirt;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>rvd_back as the administrator's command line, with the daemon running and without it.</summary>
[Collection(nameof(BackEnd))]
public sealed class CommandLineTests(BackEndBed bed)
{
    [Fact]
    public async Task Users_are_added_promoted_given_a_new_password_and_removed()
    {
        var users = bed.Get<IUserStore>();

        var added = await bed.RunCliAsync("first-password\n", "--add-user", "lena");
        Assert.Equal((0, "Added user lena."), (added.ExitCode, added.Output.Trim()));
        var lena = (await users.FindByNameAsync("lena"))!;
        Assert.False(lena.IsAdmin);
        Assert.Equal(PasswordCheck.Right, Passwords.Verify((await users.GetPasswordHashAsync(lena.Id))!, "first-password"));

        var duplicate = await bed.RunCliAsync("first-password\n", "--add-user", "lena");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("rvd_back: user lena already exists", duplicate.Output.Trim());

        var tooShort = await bed.RunCliAsync("short\n", "--add-user", "mona");
        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("at least 8 characters", tooShort.Output, StringComparison.Ordinal);
        Assert.Null(await users.FindByNameAsync("mona"));

        var badName = await bed.RunCliAsync("long-enough-password\n", "--add-user", "bad name;rm");
        Assert.Equal(1, badName.ExitCode);
        Assert.Contains("Invalid user name", badName.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await bed.RunCliAsync(null, "--make-admin", "lena")).ExitCode);
        Assert.True((await users.FindByNameAsync("lena"))!.IsAdmin);

        Assert.Equal(0, (await bed.RunCliAsync("second-password\n", "--change-password", "lena")).ExitCode);
        Assert.Equal(PasswordCheck.Right, Passwords.Verify((await users.GetPasswordHashAsync(lena.Id))!, "second-password"));
        Assert.Equal(PasswordCheck.Wrong, Passwords.Verify((await users.GetPasswordHashAsync(lena.Id))!, "first-password"));

        Assert.Equal(0, (await bed.RunCliAsync(null, "--remove-user", "lena")).ExitCode);
        Assert.Null(await users.FindByNameAsync("lena"));
        var missing = await bed.RunCliAsync(null, "--remove-user", "lena");
        Assert.Equal((1, "rvd_back: there is no user named lena"), (missing.ExitCode, missing.Output.Trim()));
    }

    [Fact]
    public async Task Users_of_perl_ravada_are_imported_with_their_passwords_and_a_bad_file_imports_nothing()
    {
        var users = bed.Get<IUserStore>();
        var records = bed.Get<ILoginRecords>();
        var directory = Directory.CreateTempSubdirectory("rvd-import-");
        try
        {
            // mysql -B output: a header, then name, SHA-1 of the password ("password1234" and "another-pass"), is_admin.
            var good = Path.Combine(directory.FullName, "users.tsv");
            await File.WriteAllTextAsync(good, "name\tpassword\tis_admin\nolduser\te6b6afbd6d76bb5d2041542d7d2e3fac5bb05593\t0\noldadmin\t"
                + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("x"u8))[..40] + "\t1\n");
            var bad = Path.Combine(directory.FullName, "bad.tsv");
            await File.WriteAllTextAsync(bad, "newcomer\te6b6afbd6d76bb5d2041542d7d2e3fac5bb05593\t0\nbroken\tnot-a-hash\t0\n");

            var imported = await bed.RunCliAsync(null, "--import-users", good);
            var again = await bed.RunCliAsync(null, "--import-users", good);
            var refused = await bed.RunCliAsync(null, "--import-users", bad);

            Assert.Equal((0, "Imported 2 users; 0 already existed and were left alone."), (imported.ExitCode, imported.Output.Trim()));
            Assert.Equal((0, "Imported 0 users; 2 already existed and were left alone."), (again.ExitCode, again.Output.Trim()));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("bad.tsv:2", refused.Output, StringComparison.Ordinal);
            Assert.Null(await users.FindByNameAsync("newcomer"));
            var old = (await users.FindByNameAsync("olduser"))!;
            Assert.False(old.IsAdmin);
            Assert.True((await users.FindByNameAsync("oldadmin"))!.IsAdmin);
            Assert.Equal(PasswordCheck.RightButRehash, Passwords.Verify((await users.GetPasswordHashAsync(old.Id))!, "password1234"));

            await records.AddFailureAsync(old.Id, 1, DateTimeOffset.UtcNow.AddHours(1));
            Assert.Equal(0, (await bed.RunCliAsync("a-new-password\n", "--change-password", "olduser")).ExitCode);
            Assert.Equal(new AccountLock(0, null), await records.GetLockAsync(old.Id));
            await bed.RunCliAsync(null, "--remove-user", "olduser");
            await bed.RunCliAsync(null, "--remove-user", "oldadmin");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_user_who_owns_machines_cannot_be_removed()
    {
        var owner = await bed.UserAsync("nora");
        var grub = await bed.GrubBaseAsync();
        var clone = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        var machineId = JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64();

        var refused = await bed.RunCliAsync(null, "--remove-user", "nora");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("owns 1 machine", refused.Output, StringComparison.Ordinal);
        Assert.NotNull(await bed.Get<IUserStore>().FindByNameAsync("nora"));
        await bed.RunOkAsync(RequestCommands.Remove, owner, machineId);
    }

    [Fact]
    public async Task Machines_are_listed_started_shut_down_and_hibernated_from_the_command_line()
    {
        var owner = await bed.UserAsync("olga");
        var grub = await bed.GrubBaseAsync();
        var clone = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        var machine = (await bed.Get<IMachineStore>().FindAsync(JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64()))!;

        var listed = await bed.RunCliAsync(null, "--list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Matches($@"{machine.Name}\s+off\s+olga\s+clone of {grub.Name}", listed.Output);
        Assert.Matches($@"{grub.Name}\s+off\s+{BackEndBed.AdminName}\s+base", listed.Output);

        Assert.Equal(0, (await bed.RunCliAsync(null, "--start", machine.Name)).ExitCode);
        Assert.Equal(MachineState.Running, (await bed.Get<IMachineStore>().FindAsync(machine.Id))!.State);
        Assert.Matches($@"{machine.Name}\s+running", (await bed.RunCliAsync(null, "--list")).Output);

        var hibernated = await bed.RunCliAsync(null, "--hibernate", "--disconnected");
        Assert.Equal(0, hibernated.ExitCode);
        Assert.Contains($"Hibernated {machine.Name}.", hibernated.Output, StringComparison.Ordinal);
        Assert.Equal(MachineState.Hibernated, (await bed.Get<IMachineStore>().FindAsync(machine.Id))!.State);

        Assert.Equal(0, (await bed.RunCliAsync(null, "--start", machine.Name)).ExitCode);
        var shutDown = await bed.RunCliAsync(null, "--shutdown", "--all");
        Assert.Equal(0, shutDown.ExitCode);
        Assert.Contains($"Shut down {machine.Name}.", shutDown.Output, StringComparison.Ordinal);
        Assert.Equal(MachineState.ShutOff, (await bed.Get<IMachineStore>().FindAsync(machine.Id))!.State);

        var unknown = await bed.RunCliAsync(null, "--start", "no-such-machine");
        Assert.Equal((1, "rvd_back: there is no machine named no-such-machine"), (unknown.ExitCode, unknown.Output.Trim()));
        await bed.RunOkAsync(RequestCommands.Remove, owner, machine.Id);
    }

    [Fact]
    public async Task Without_the_daemon_the_command_line_does_the_work_itself()
    {
        var owner = await bed.UserAsync("pia");
        var grub = await bed.GrubBaseAsync();
        var clone = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        var machine = (await bed.Get<IMachineStore>().FindAsync(JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64()))!;
        await bed.StopDaemonAsync();
        try
        {
            var started = await bed.RunCliAsync(null, "--start", machine.Name);

            Assert.Equal((0, $"Started {machine.Name}."), (started.ExitCode, started.Output.Trim()));
            Assert.Equal(MachineState.Running, (await bed.Get<IMachineStore>().FindAsync(machine.Id))!.State);
            var stopped = await bed.RunCliAsync(null, "--shutdown", machine.Name);
            Assert.Equal(0, stopped.ExitCode);
        }
        finally
        {
            await bed.StartDaemonAsync();
        }

        await bed.RunOkAsync(RequestCommands.Remove, owner, machine.Id);
    }

    [Fact]
    public async Task A_machine_is_created_from_an_iso_for_its_owner_and_made_a_public_base_every_user_may_clone()
    {
        var owner = await bed.UserAsync("rosa", admin: false, Grant.CreateMachine, Grant.CreateBase, Grant.Remove);
        var name = bed.Name("cli-base");

        var created = await bed.RunCliAsync(null, "--create-machine", name, "--iso", BackEndBed.GrubIso, "--memory", "192", "--vcpus", "1", "--disk", "1", "--owner", "rosa");

        Assert.Equal((0, $"Created {name} for rosa, booting {BackEndBed.GrubIso}."), (created.ExitCode, created.Output.Trim()));
        var machine = (await bed.Get<IMachineStore>().FindByNameAsync(name))!;
        Assert.Equal(owner.Id, machine.OwnerId);
        Assert.Equal((192L, 1, MachineState.ShutOff), (machine.MemoryMiB, machine.VirtualCpus, machine.State));
        var volumes = await bed.Get<IMachineStore>().ListVolumesAsync(machine.Id);
        Assert.Contains(volumes, volume => volume.Device == "cdrom" && volume.Path!.EndsWith(BackEndBed.GrubIso, StringComparison.Ordinal));
        Assert.Equal(1024L * 1024 * 1024, Assert.Single(volumes, volume => volume.Device == "disk").CapacityBytes);

        var again = await bed.RunCliAsync(null, "--create-machine", name, "--iso", BackEndBed.GrubIso, "--owner", "rosa");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"A machine named {name} already exists", again.Output, StringComparison.Ordinal);
        var noIso = await bed.RunCliAsync(null, "--create-machine", bed.Name("no-iso"), "--iso", "missing.iso", "--owner", "rosa");
        Assert.Equal(1, noIso.ExitCode);
        Assert.Contains($"There is no ISO named 'missing.iso' in storage pool '{bed.PoolName}'", noIso.Output, StringComparison.Ordinal);
        var noOwner = await bed.RunCliAsync(null, "--create-machine", bed.Name("no-owner"), "--iso", BackEndBed.GrubIso, "--owner", "nobody-here");
        Assert.Equal((1, "rvd_back: there is no user named nobody-here"), (noOwner.ExitCode, noOwner.Output.Trim()));
        var tooSmall = await bed.RunCliAsync(null, "--create-machine", bed.Name("tiny"), "--iso", BackEndBed.GrubIso, "--memory", "1", "--owner", "rosa");
        Assert.Equal(1, tooSmall.ExitCode);
        Assert.Contains("memory_mib", tooSmall.Output, StringComparison.Ordinal);
        var plain = await bed.UserAsync("sam");
        var refused = await bed.RunCliAsync(null, "--create-machine", bed.Name("sams"), "--iso", BackEndBed.GrubIso, "--owner", "sam");
        Assert.Equal((1, "rvd_back: You may not create machines."), (refused.ExitCode, refused.Output.Trim()));

        var prepared = await bed.RunCliAsync(null, "--prepare-base", name, "--public", "--with-cd");

        Assert.Equal((0, $"{name} is a base, public: every user may use it; its clones keep the CD-ROM."), (prepared.ExitCode, prepared.Output.Trim()));
        var baseMachine = (await bed.Get<IMachineStore>().FindAsync(machine.Id))!;
        Assert.True(baseMachine.IsBase && baseMachine.IsPublic && baseMachine.KeepCdrom);
        Assert.Matches($@"{name}\s+off\s+rosa\s+base", (await bed.RunCliAsync(null, "--list")).Output);
        var clone = await bed.RunOkAsync(RequestCommands.Clone, plain, arguments: RequestArguments.Empty.With("base_id", machine.Id));
        var cloneId = JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64();
        var cloned = (await bed.Get<IMachineStore>().FindAsync(cloneId))!;
        var defined = (await bed.Get<IHypervisor>().FindMachineAsync(cloned.Uuid, TestContext.Current.CancellationToken))!;
        Assert.Contains(defined.Disks, disk => disk.Device == "cdrom" && disk.Path!.EndsWith(BackEndBed.GrubIso, StringComparison.Ordinal));

        var preparedAgain = await bed.RunCliAsync(null, "--prepare-base", name);
        Assert.Equal((0, $"{name} is a base, public: every user may use it; its clones keep the CD-ROM."), (preparedAgain.ExitCode, preparedAgain.Output.Trim()));
        await bed.RunOkAsync(RequestCommands.Remove, plain, cloneId);
        await bed.RunOkAsync(RequestCommands.Remove, owner, machine.Id);
    }

    [Fact]
    public async Task Status_names_the_running_daemon_and_its_fresh_heartbeat()
    {
        var status = await bed.RunCliAsync(null, "--status");

        Assert.Equal(0, status.ExitCode);
        Assert.Matches($@"^rvd_back is running \(pid {bed.Daemon.Id}\); its last heartbeat was \d+\.\d s ago\.$", status.Output.Trim());
    }

    [Fact]
    public async Task An_existing_libvirt_domain_is_imported_for_an_owner_and_marked_as_ours()
    {
        await bed.UserAsync("quinn");
        var name = bed.Name("foreign");
        var disk = Path.Combine(bed.Directory, "pool", name + ".qcow2");
        await Processes.RunCheckedAsync("qemu-img", "create", "-q", "-f", "qcow2", disk, "64M");
        using (var connection = VirConnect.Open("qemu:///system"))
        {
            using var pool = connection.StoragePoolLookupByName(bed.PoolName);
            pool.Refresh();
            var features = HostFeatures.Parse(connection.GetCapabilities(), connection.GetDomainCapabilities());
            var definition = new DesktopDefinition
            {
                Name = name,
                MemoryMiB = 128,
                Disks = [new DiskAttachment(disk)],
                Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("foreign-spice", "foreign1")),
                Ownership = new MachineOwnership("someone", null, false),
            };
            var xml = DesktopDomainXml.Build(definition, features, Accelerator.Tcg);
            xml.Root!.Element("metadata")!.Remove();
            using var domain = connection.DomainDefineXMLFlags(xml.ToString());
        }

        var imported = await bed.RunCliAsync(null, "--import-domain", name, "--owner", "quinn");

        Assert.True(imported.ExitCode == 0, imported.Output);
        var machine = (await bed.Get<IMachineStore>().FindByNameAsync(name))!;
        Assert.Equal("quinn", (await bed.Get<IUserStore>().FindAsync(machine.OwnerId))!.Name);
        Assert.Contains(await bed.Get<IMachineStore>().ListVolumesAsync(machine.Id), volume => volume.Path == disk);
        var again = await bed.RunCliAsync(null, "--import-domain", name, "--owner", "quinn");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already managed", again.Output, StringComparison.Ordinal);
        var missing = await bed.RunCliAsync(null, "--import-domain", bed.Name("nowhere"), "--owner", "quinn");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no domain named", missing.Output, StringComparison.Ordinal);
        await bed.RunOkAsync(RequestCommands.Remove, await bed.UserAsync(BackEndBed.AdminName), machine.Id);
    }
}
