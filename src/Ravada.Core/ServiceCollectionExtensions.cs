using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ravada.Core.Broker;
using Ravada.Core.Broker.Handlers;
using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;

namespace Ravada.Core;

/// <summary>Registers the broker's logic.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the request handlers, the processor, the event recorder and the reconciler, with
    /// <see cref="BrokerOptions"/> read from the <c>storage</c>, <c>display</c>, <c>network</c> and
    /// <c>backend</c> keys of <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddRavadaCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BrokerOptions>().Configure(options =>
        {
            options.StoragePool = configuration["storage:pool"] ?? options.StoragePool;
            options.BasePool = configuration["storage:base_pool"] ?? options.StoragePool;
            options.ClonePool = configuration["storage:clone_pool"] ?? options.StoragePool;
            options.IsoPool = configuration["storage:iso_pool"] ?? options.StoragePool;
            options.DisplayListenAddress = configuration["display:listen_address"] ?? options.DisplayListenAddress;
            options.Network = configuration["network"] ?? options.Network;
            if (int.TryParse(configuration["backend:shutdown_timeout_seconds"], System.Globalization.CultureInfo.InvariantCulture, out var timeout))
            {
                options.ShutdownTimeoutSeconds = timeout;
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MachineOperations>();
        services.TryAddSingleton<DisplayAccessChanges>();
        services.TryAddSingleton<MachineStateTracker>();
        services.TryAddSingleton<MachineReconciler>();
        services.TryAddSingleton<HypervisorEventRecorder>();
        services.TryAddSingleton<RequestProcessor>();
        services.AddSingleton<IRequestHandler, PingHandler>();
        services.AddSingleton<IRequestHandler, StartHandler>();
        services.AddSingleton<IRequestHandler, ShutdownHandler>();
        services.AddSingleton<IRequestHandler, CloneHandler>();
        services.AddSingleton<IRequestHandler, CreateHandler>();
        services.AddSingleton<IRequestHandler, ImportHandler>();
        services.AddSingleton<IRequestHandler, PrepareBaseHandler>();
        services.AddSingleton<IRequestHandler, RemoveBaseHandler>();
        services.AddSingleton<IRequestHandler, RestoreHandler>();
        services.AddSingleton<IRequestHandler, RenameHandler>();
        services.AddSingleton<IRequestHandler, ChangeHardwareHandler>();
        services.AddSingleton<IRequestHandler, AddDiskHandler>();
        services.AddSingleton<IRequestHandler, RemoveDiskHandler>();
        services.AddSingleton<IRequestHandler, SetCdromHandler>();
        services.AddSingleton<IRequestHandler, RemoveHandler>();
        services.AddSingleton<IRequestHandler, ScreenshotHandler>();
        services.AddSingleton<IRequestHandler, RefreshMachineHandler>();
        services.AddSingleton<IRequestHandler, ReconcileHandler>();
        foreach (var command in SimpleLifecycleHandler.Commands)
        {
            services.AddSingleton(provider => SimpleLifecycleHandler.Create(command, provider.GetRequiredService<MachineOperations>(), provider.GetRequiredService<IHypervisor>()));
        }
        return services;
    }
}
