using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ravada.Libvirt;

namespace Ravada.Back.Daemon;

/// <summary>The rvd_back daemon: a generic host with systemd integration and the back end's services.</summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(string? libvirtUri, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "rvd_back",
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (libvirtUri is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("libvirt:Uri", libvirtUri)]);
        }

        builder.Services.AddSystemd();
        builder.Services.AddRavadaBack(builder.Configuration);
        // RunAsync disposes the host when it stops.
        await builder.Build().RunAsync(cancellation);
        return 0;
    }

    /// <summary>Registers the back end: the libvirt boundary and the daemon's background services.</summary>
    public static IServiceCollection AddRavadaBack(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRavadaLibvirt(configuration);
        services.AddHostedService<HypervisorWatcher>();
        return services;
    }
}
