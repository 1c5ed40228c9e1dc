using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ravada.Core.Users;

namespace Ravada.Ldap;

/// <summary>Registers LDAP logins.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ExternalSignIn"/> and, when the <c>ldap</c> section names a server, <see cref="LdapDirectory"/>
    /// as its directory, with <see cref="LdapOptions"/> from that section (checked when first used).
    /// </summary>
    public static IServiceCollection AddRavadaLdap(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("ldap");
        services.AddOptions<LdapOptions>().Bind(section).ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<LdapOptions>, LdapOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ExternalSignIn>();
        if (!string.IsNullOrEmpty(section["server"]))
        {
            services.TryAddSingleton<LdapDirectory>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IExternalDirectory, LdapDirectory>(provider => provider.GetRequiredService<LdapDirectory>()));
        }

        return services;
    }

    private sealed class LdapOptionsValidation : IValidateOptions<LdapOptions>
    {
        public ValidateOptionsResult Validate(string? name, LdapOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
