using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Machines;
using Ravada.Core.Messages;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data.Connections;
using Ravada.Data.Dialects;
using Ravada.Data.Migrations;
using Ravada.Data.Requests;
using Ravada.Data.Stores;
using Ravada.Data.Wakeup;

namespace Ravada.Data;

/// <summary>Registers the database layer.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the stores, the request queue, its wake-up, and <see cref="DatabaseMigrator"/>, configured from the
    /// <c>db</c> and <c>backend</c> sections of <paramref name="configuration"/> and validated at start-up.
    /// </summary>
    public static IServiceCollection AddRavadaData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.AddOptions<RequestWakeupOptions>().Bind(configuration.GetSection(RequestWakeupOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequestWakeupOptions>, RequestWakeupOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IDbConnectionFactory>(provider => Driver(provider) switch
        {
            DatabaseDriver.MySql => ActivatorUtilities.CreateInstance<MySqlConnectionFactory>(provider),
            DatabaseDriver.PostgreSql => ActivatorUtilities.CreateInstance<PostgreSqlConnectionFactory>(provider),
            _ => ActivatorUtilities.CreateInstance<SqliteConnectionFactory>(provider),
        });
        services.TryAddSingleton<ISqlDialect>(provider => Driver(provider) switch
        {
            DatabaseDriver.MySql => ActivatorUtilities.CreateInstance<MySqlDialect>(provider),
            DatabaseDriver.PostgreSql => ActivatorUtilities.CreateInstance<PostgreSqlDialect>(provider),
            _ => ActivatorUtilities.CreateInstance<SqliteDialect>(provider),
        });
        services.TryAddSingleton<SqlExecutor>();
        services.TryAddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<IOptions<DatabaseOptions>>(), provider.GetRequiredService<IDbConnectionFactory>(),
            provider.GetRequiredService<ISqlDialect>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>()));

        services.TryAddSingleton<IUserStore, UserStore>();
        services.TryAddSingleton<IExternalAccountStore, ExternalAccountStore>();
        services.TryAddSingleton<IMachineStore, MachineStore>();
        services.TryAddSingleton<IMachineEventLog, MachineEventLog>();
        services.TryAddSingleton<INodeStore, NodeStore>();
        services.TryAddSingleton<ISettingsStore, SettingsStore>();
        services.TryAddSingleton<ILoginRecords, LoginRecordStore>();
        services.TryAddSingleton<IEndedSessionStore, EndedSessionStore>();
        services.TryAddSingleton<IMessageStore, MessageStore>();
        services.TryAddSingleton<IRequestQueue, RequestQueue>();

        services.TryAddSingleton<IRequestWakeup, UnixDatagramWakeup>();
        services.TryAddSingleton<UnixDatagramWakeupListener>();
        services.TryAddSingleton<IRequestWakeupListener>(provider => Driver(provider) == DatabaseDriver.PostgreSql
            ? new CombinedWakeupListener([
                provider.GetRequiredService<UnixDatagramWakeupListener>(),
                ActivatorUtilities.CreateInstance<PostgreSqlNotifyListener>(provider)])
            : provider.GetRequiredService<UnixDatagramWakeupListener>());
        return services;
    }

    private static DatabaseDriver Driver(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.DriverKind;

    private sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    private sealed class RequestWakeupOptionsValidator : IValidateOptions<RequestWakeupOptions>
    {
        public ValidateOptionsResult Validate(string? name, RequestWakeupOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
