using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Broker;

namespace Ravada.Libvirt;

/// <summary>Registers the libvirt boundary.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IHypervisor"/> on libvirt, configured from the <c>libvirt</c> section of
    /// <paramref name="configuration"/>, with its options validated at start-up.
    /// </summary>
    public static IServiceCollection AddRavadaLibvirt(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LibvirtOptions>()
            .Bind(configuration.GetSection("libvirt"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LibvirtOptions>, LibvirtOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVirtualizationProbe, HostProbe>();
        services.TryAddSingleton<LibvirtHypervisor>();
        services.TryAddSingleton<IHypervisor>(provider => provider.GetRequiredService<LibvirtHypervisor>());
        return services;
    }

    private sealed class LibvirtOptionsValidator : IValidateOptions<LibvirtOptions>
    {
        public ValidateOptionsResult Validate(string? name, LibvirtOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
