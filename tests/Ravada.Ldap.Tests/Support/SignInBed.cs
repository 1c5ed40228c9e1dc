using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Users;
using Ravada.Data;
using Ravada.Data.Migrations;

namespace Ravada.Ldap.Tests.Support;

/// <summary>The data layer on a throw-away SQLite database and LDAP on the test slapd, registered as the daemons register them.</summary>
internal sealed class SignInBed : IAsyncDisposable
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("ravada-ldap-test-").FullName;
    private readonly ServiceProvider services;

    private SignInBed(Dictionary<string, string?> ldapSettings)
    {
        var settings = new Dictionary<string, string?>(ldapSettings)
        {
            ["db:driver"] = "sqlite",
            ["db:file"] = Path.Combine(directory, "ravada.db"),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection().AddLogging().AddRavadaData(configuration).AddRavadaLdap(configuration).BuildServiceProvider(validateScopes: true);
    }

    public static async Task<SignInBed> CreateAsync(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = TestDirectory.Settings();
        change?.Invoke(settings);
        var bed = new SignInBed(settings);
        await bed.Get<DatabaseMigrator>().MigrateUpAsync(TestContext.Current.CancellationToken);
        return bed;
    }

    public ExternalSignIn SignIn => Get<ExternalSignIn>();

    public IUserStore Users => Get<IUserStore>();

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(directory, recursive: true);
    }
}
