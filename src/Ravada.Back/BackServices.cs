using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ravada.Back.Cli;
using Ravada.Back.Daemon;
using Ravada.Core;
using Ravada.Core.Broker;
using Ravada.Data;
using Ravada.Firewall;
using Ravada.Ldap;
using Ravada.Libvirt;

namespace Ravada.Back;

/// <summary>What rvd_back is made of, for the daemon and for its command line alike.</summary>
internal static class BackServices
{
    /// <summary>
    /// Registers the database, libvirt, the broker's logic, the display firewall and rvd_back's own parts, all configured from
    /// /etc/ravada.conf (already loaded into <paramref name="configuration"/>).
    /// </summary>
    public static IServiceCollection AddRavadaBack(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRavadaData(configuration);
        services.AddRavadaLibvirt(configuration);
        services.AddRavadaCore(configuration);
        services.AddRavadaLdap(configuration);
        services.AddRavadaFirewall(configuration);
        services.AddOptions<BackendOptions>().Bind(configuration.GetSection("backend"));
        services.TryAddSingleton<IThumbnailer, SkiaThumbnailer>();
        services.TryAddSingleton<WorkSignals>();
        services.TryAddSingleton<RequestRunner>();
        return services;
    }
}
