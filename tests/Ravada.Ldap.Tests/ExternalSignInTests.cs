using Ravada.Core.Users;
using Ravada.Ldap.Tests.Support;

namespace Ravada.Ldap.Tests;

/// <summary>LDAP logins becoming local accounts, on SQLite and the test slapd; and the rule that LDAP never takes over a local account.</summary>
public sealed class ExternalSignInTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_ldap_login_creates_a_local_account_marked_ldap_without_a_password_and_with_its_groups()
    {
        await using var bed = await SignInBed.CreateAsync();

        var bob = await bed.SignIn.SignInAsync("bob", TestDirectory.PasswordOf("bob"), Cancel);

        Assert.NotNull(bob);
        Assert.Equal(("bob", "ldap", false), (bob.Name, bob.ExternalAuth, bob.IsAdmin));
        Assert.Null(await bed.Users.GetPasswordHashAsync(bob.Id, Cancel));
        Assert.Equal(["staff", "teachers"], await bed.Users.GroupsOfAsync(bob.Id, Cancel));
        Assert.Equal(bob, await bed.SignIn.SignInAsync("bob", TestDirectory.PasswordOf("bob"), Cancel));
        Assert.Equal(2, (await bed.Users.ListAsync(Cancel)).Count);
    }

    [Fact]
    public async Task A_name_typed_in_another_case_signs_in_the_account_spelled_as_the_directory_spells_it()
    {
        await using var bed = await SignInBed.CreateAsync();

        var alice = await bed.SignIn.SignInAsync("Alice", TestDirectory.PasswordOf("alice"), Cancel);

        Assert.Equal("alice", alice?.Name);
        Assert.Null(await bed.Users.FindByNameAsync("Alice", Cancel));
    }

    [Fact]
    public async Task A_wrong_password_creates_nothing()
    {
        await using var bed = await SignInBed.CreateAsync();

        Assert.Null(await bed.SignIn.SignInAsync("bob", "not-bobs-password", Cancel));
        Assert.Null(await bed.SignIn.SignInAsync("bob", "", Cancel));

        Assert.Null(await bed.Users.FindByNameAsync("bob", Cancel));
    }

    [Fact]
    public async Task Ldap_never_takes_over_a_local_account_of_the_same_name()
    {
        await using var bed = await SignInBed.CreateAsync();
        var localDave = await bed.Users.CreateAsync("dave", Passwords.Hash("local-dave-password"), isAdmin: true, mustChangePassword: false, Cancel);
        var localAlice = await bed.Users.CreateAsync("alice", Passwords.Hash("local-alice-password"), isAdmin: false, mustChangePassword: false, Cancel);

        Assert.False(bed.SignIn.MayAuthenticate(localDave));
        Assert.Null(await bed.SignIn.SignInAsync("dave", TestDirectory.PasswordOf("dave"), Cancel));
        // Typed in capitals, the name is unknown locally; LDAP answers "alice", which is local: refused all the same.
        Assert.Null(await bed.SignIn.SignInAsync("ALICE", TestDirectory.PasswordOf("alice"), Cancel));

        Assert.Equal([localDave, localAlice], [(await bed.Users.FindByNameAsync("dave", Cancel))!, (await bed.Users.FindByNameAsync("alice", Cancel))!]);
        Assert.Empty(await bed.Users.GroupsOfAsync(localDave.Id, Cancel));
        Assert.Empty(await bed.Users.GroupsOfAsync(localAlice.Id, Cancel));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bed.SignIn.ImportAsync("dave", Cancel));
    }

    [Fact]
    public async Task The_built_in_daemon_account_is_no_ldap_name()
    {
        await using var bed = await SignInBed.CreateAsync();

        Assert.False(bed.SignIn.MayAuthenticate(await bed.Users.FindByNameAsync(User.DaemonName, Cancel)));
        Assert.Null(await bed.SignIn.SignInAsync(User.DaemonName, "anything-at-all", Cancel));
    }

    [Fact]
    public async Task An_ldap_user_can_be_added_before_the_first_login_and_then_logs_in_to_that_account()
    {
        await using var bed = await SignInBed.CreateAsync();

        var (erin, identity) = await bed.SignIn.ImportAsync("erin", Cancel);

        Assert.Equal(("erin", "ldap"), (erin.Name, erin.ExternalAuth));
        Assert.Equal($"uid=erin,ou=people,{TestDirectory.Base}", identity.DistinguishedName);
        Assert.Equal(["projectors", "ring-a", "ring-b"], await bed.Users.GroupsOfAsync(erin.Id, Cancel));
        Assert.Equal(erin.Id, (await bed.SignIn.SignInAsync("erin", TestDirectory.PasswordOf("erin"), Cancel))?.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bed.SignIn.ImportAsync("nobody", Cancel));
    }

    [Fact]
    public async Task An_unreachable_directory_refuses_the_login_without_throwing()
    {
        await using var bed = await SignInBed.CreateAsync(settings => settings["ldap:port"] = "1");

        Assert.Null(await bed.SignIn.SignInAsync("bob", TestDirectory.PasswordOf("bob"), Cancel));
    }

    [Fact]
    public async Task Without_an_ldap_server_nobody_is_checked_against_ldap()
    {
        await using var bed = await SignInBed.CreateAsync(settings => settings.Clear());

        Assert.False(bed.SignIn.IsEnabled);
        Assert.False(bed.SignIn.MayAuthenticate(null));
        Assert.Null(await bed.SignIn.SignInAsync("bob", TestDirectory.PasswordOf("bob"), Cancel));
    }

    [Fact]
    public async Task A_server_without_a_base_is_a_configuration_error_naming_the_key()
    {
        await using var bed = await SignInBed.CreateAsync(settings => settings.Remove("ldap:base"));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => bed.Get<IExternalDirectory>());

        Assert.Contains("ldap.base is required", error.Message, StringComparison.Ordinal);
    }
}
