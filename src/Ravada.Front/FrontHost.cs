using System.Reflection;
using Microsoft.Extensions.Options;
using Ravada.Config;
using Ravada.Data.Migrations;

namespace Ravada.Front;

/// <summary>rvd_front: reads /etc/ravada.conf (or <c>--config PATH</c>), then serves the portal.</summary>
internal static partial class FrontHost
{
    private const int BadConfiguration = 78;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--version"))
        {
            Console.WriteLine(typeof(FrontHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            return 0;
        }

        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("""
                rvd_front: the Ravada web portal. It runs as an unprivileged user and never calls libvirt.

                Usage: rvd_front [--config PATH]
                  --config PATH   configuration file (default /etc/ravada.conf)
                  --version       show the version
                  --help          show this help
                """);
            return 0;
        }

        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (RavadaConfigurationException exception)
        {
            await Console.Error.WriteLineAsync($"rvd_front: {exception.Message}");
            return BadConfiguration;
        }

        try
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateUpAsync();
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (exception is IOException or OptionsValidationException or System.Data.Common.DbException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"rvd_front: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Builds the portal; tests call it through <c>WebApplicationFactory</c>, which passes settings as arguments.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(FrontHost).Assembly.GetName().Name,
        });
        var ravada = RavadaConfiguration.Load(builder.Configuration["config"]);
        // /etc/ravada.conf gives every key a value, so it goes first: environment and command line override it.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new ChainedConfigurationSource { Configuration = ravada.Configuration });
        var front = builder.Configuration.GetSection("frontend").Get<FrontOptions>() ?? new FrontOptions();
        // One line per request is noise in the journal; ASP.NET's warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{FormatHost(front.ListenAddress)}:{front.Port}");
        builder.Services.AddRavadaFront(builder.Configuration);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("rvd_front");
        foreach (var warning in ravada.Warnings)
        {
            LogConfigurationWarning(logger, warning);
        }

        app.UseRavadaFront();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);

    private static string FormatHost(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
}
