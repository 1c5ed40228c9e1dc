using Ravada.Back.Tests.Support;
using Ravada.TestSupport;

namespace Ravada.Back.Tests;

/// <summary>rvd_back's command line refuses a bad password without ever printing it back.</summary>
public sealed class PasswordOutputTests
{
    [Fact]
    public async Task A_refused_password_is_never_printed()
    {
        using var configuration = TemporaryConfiguration.Create();
        const string TooShort = "sh0rt!x";
        const string Good = "long-enough-secret-1";
        const string AlsoTooShort = "tiny#pw";

        var refusedAdd = await RvdBackProcess.RunWithInputAsync($"{TooShort}\n", "--config", configuration.Path, "--add-user", "lena");
        var added = await RvdBackProcess.RunWithInputAsync($"{Good}\n", "--config", configuration.Path, "--add-user", "lena");
        var refusedChange = await RvdBackProcess.RunWithInputAsync($"{AlsoTooShort}\n", "--config", configuration.Path, "--change-password", "lena");

        Assert.NotEqual(0, refusedAdd.ExitCode);
        Assert.Equal(0, added.ExitCode);
        Assert.NotEqual(0, refusedChange.ExitCode);
        Assert.DoesNotContain(TooShort, refusedAdd.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Good, added.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(AlsoTooShort, refusedChange.Output, StringComparison.Ordinal);
        Assert.Contains("8", refusedAdd.Output, StringComparison.Ordinal);
    }
}
