using Ravada.Config.Tests.Support;

namespace Ravada.Config.Tests;

public sealed class PermissionTests : IDisposable
{
    private const string WithPassword = "db:\n  user: rvd_user\n  password: secret\n";
    private const UnixFileMode Mode0644 = ConfigFiles.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0640 = ConfigFiles.OwnerOnly | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0600 = ConfigFiles.OwnerOnly;
    private const UnixFileMode Mode0646 = Mode0640 | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private const UnixFileMode Mode0642 = Mode0640 | UnixFileMode.OtherWrite;

    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_file_other_users_can_read_is_a_warning_that_tells_the_fix()
    {
        var path = files.Write(WithPassword, Mode0644);

        var loaded = RavadaConfiguration.Load(path);

        var warning = Assert.Single(loaded.Warnings);
        Assert.Equal($"{path} is readable by other users and holds the database password; run chmod o-rwx {path}", warning);
    }

    [Theory]
    [InlineData(Mode0640)]
    [InlineData(Mode0600)]
    public void A_file_only_its_owner_and_group_can_read_gives_no_warning(UnixFileMode mode)
    {
        Assert.Empty(RavadaConfiguration.Load(files.Write(WithPassword, mode)).Warnings);
    }

    [Fact]
    public void A_readable_file_without_a_password_still_warns_but_says_no_password()
    {
        var path = files.Write("network: default\n", Mode0644);

        var warning = Assert.Single(RavadaConfiguration.Load(path).Warnings);

        Assert.Equal($"{path} is readable by other users, who have no business reading Ravada's settings; run chmod o-rwx {path}", warning);
    }

    [Fact]
    public void A_file_other_users_can_write_is_a_warning()
    {
        var path = files.Write(WithPassword, Mode0642);

        var warning = Assert.Single(ConfigFileCheck.Check(path, holdsDatabasePassword: true));

        Assert.Equal($"{path} is writable by other users: anyone on this host can change Ravada's settings; run chmod o-rwx {path}", warning);
    }

    [Fact]
    public void A_file_other_users_can_read_and_write_is_one_warning()
    {
        var path = files.Write(WithPassword, Mode0646);

        var warning = Assert.Single(ConfigFileCheck.Check(path, holdsDatabasePassword: true));

        Assert.Equal($"{path} is readable and writable by other users: anyone on this host can read and change Ravada's settings; run chmod o-rwx {path}", warning);
    }

    [Fact]
    public void An_absent_file_has_nothing_to_protect()
    {
        Assert.Empty(ConfigFileCheck.Check(files.AbsentPath, holdsDatabasePassword: false));
    }
}
