using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ravada.Config;

namespace Ravada.Back.Daemon;

/// <summary>The rvd_back daemon: a generic host with systemd integration and the back end's services.</summary>
internal static partial class DaemonHost
{
    public static async Task<int> RunAsync(RavadaConfiguration ravada, string? libvirtUri, CancellationToken cancellation)
    {
        var configuration = new ConfigurationManager();
        configuration.AddConfiguration(ravada.Configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "rvd_back",
            ContentRootPath = AppContext.BaseDirectory,
            Configuration = configuration,
        });
        if (libvirtUri is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("libvirt:uri", libvirtUri)]);
        }

        builder.Services.AddSystemd();
        var stopGrace = TimeSpan.FromSeconds(builder.Configuration.GetValue("backend:stop_grace_seconds", 20));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = stopGrace + TimeSpan.FromSeconds(10));
        builder.Services.AddRavadaBack(builder.Configuration);
        builder.Services.AddHostedService<DaemonStartup>();
        builder.Services.AddHostedService<HypervisorWatcher>();
        builder.Services.AddHostedService<WakeupPump>();
        builder.Services.AddHostedService<RequestWorkers>();
        builder.Services.AddHostedService<MaintenanceService>();
        builder.Services.AddHostedService<HeartbeatService>();
        builder.Services.AddHostedService<FirewallService>();
        var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("rvd_back");
        foreach (var warning in ravada.Warnings)
        {
            LogConfigurationWarning(logger, warning);
        }

        LogConfiguration(logger, ravada.FileExists ? ravada.FilePath : $"{ravada.FilePath} (absent: defaults)");
        try
        {
            // RunAsync disposes the host when it stops.
            await host.RunAsync(cancellation);
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or Microsoft.Extensions.Options.OptionsValidationException
            or System.Data.Common.DbException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"rvd_back: {exception.Message}");
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration: {Path}")]
    private static partial void LogConfiguration(ILogger logger, string path);
}
