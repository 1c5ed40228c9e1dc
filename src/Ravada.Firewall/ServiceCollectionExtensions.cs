using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ravada.Core.Firewall;

namespace Ravada.Firewall;

/// <summary>Registers the firewall boundary.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DisplayFirewall"/> and <see cref="DisplayFirewallLoop"/>, configured from the <c>firewall</c>
    /// section, <c>admin_workstations</c> and <c>frontend.port</c> of <paramref name="configuration"/>, validated at start-up.
    /// </summary>
    public static IServiceCollection AddRavadaFirewall(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FirewallOptions>()
            .Bind(configuration.GetSection("firewall"))
            .Configure(options =>
            {
                foreach (var network in configuration.GetSection("admin_workstations").GetChildren().Select(child => child.Value).OfType<string>())
                {
                    options.AdminWorkstations.Add(network);
                }

                if (int.TryParse(configuration["frontend:port"], System.Globalization.CultureInfo.InvariantCulture, out var frontendPort))
                {
                    options.ServicePorts.Add(frontendPort);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FirewallOptions>, FirewallOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DisplayAccessChanges>();
        services.TryAddSingleton<DisplayFirewall>();
        services.TryAddSingleton<DisplayFirewallLoop>();
        return services;
    }

    private sealed class FirewallOptionsValidator : IValidateOptions<FirewallOptions>
    {
        public ValidateOptionsResult Validate(string? name, FirewallOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
