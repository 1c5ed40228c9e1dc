using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ravada.Data;
using Ravada.Front.Auth;
using Ravada.Front.Consoles;
using Ravada.Front.Live;
using Ravada.Front.Portal;
using Ravada.Front.Security;
using Ravada.Ldap;

namespace Ravada.Front;

/// <summary>Registers and wires rvd_front.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the portal: the data layer, sessions, antiforgery, the live feed, consoles and the pages, with
    /// <see cref="FrontOptions"/> from the <c>frontend</c> section and <see cref="DisplayOptions"/> from <c>display</c>.
    /// </summary>
    public static IServiceCollection AddRavadaFront(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var front = configuration.GetSection("frontend").Get<FrontOptions>() ?? new FrontOptions();
        services.AddRavadaData(configuration);
        services.AddRavadaLdap(configuration);
        services.AddOptions<FrontOptions>().Bind(configuration.GetSection("frontend"));
        services.AddOptions<DisplayOptions>().Bind(configuration.GetSection("display"));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<LoginService>();
        services.AddSingleton<EndedSessions>();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<SharedRenders>();
        services.AddSingleton<BackendStatus>();
        services.AddHostedService<LiveFeed>();
        services.AddSingleton<FragmentRenderer>();
        services.AddSingleton<PortalViews>();
        services.AddSingleton<ConsoleTokens>();

        services.AddDataProtection()
            .SetApplicationName("ravada-front")
            .PersistKeysToFileSystem(new DirectoryInfo(front.DataProtectionDirectory));
        services.AddAuthentication(Session.Scheme).AddCookie(Session.Scheme, options =>
        {
            options.Cookie.Name = "ravada_session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(front.SessionIdleMinutes);
            options.SlidingExpiration = true;
            options.LoginPath = "/login";
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = "/error/403";
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = Session.ValidateAsync,
                OnRedirectToLogin = Session.RedirectToLoginAsync,
            };
        });
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ravada_antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = AntiforgeryHeader.Name;
        });
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in front.TrustedProxyNetworks())
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        services.AddRazorPages(options =>
        {
            options.Conventions.AllowAnonymousToPage("/Login");
            options.Conventions.AllowAnonymousToPage("/Error");
            options.Conventions.ConfigureFilter(new HandlerlessMethodGuard());
        }).AddMvcOptions(options =>
        {
            // jQuery's "a[b]" form keys are not ours, and a key with an unclosed bracket would throw while binding.
            options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        return services;
    }

    /// <summary>The middleware and endpoints of the portal, in order.</summary>
    public static WebApplication UseRavadaFront(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ServerTiming>();
        app.UseForwardedHeaders();
        app.UseMiddleware<HostHeaderGuard>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<PlainHttpGuard>();
        app.UseMiddleware<LoginThrottleGate>();
        app.UseExceptionHandler("/error/500");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PasswordChangeGate>();
        app.MapRazorPages();
        app.MapPortalEndpoints();
        app.MapLiveEvents();
        app.MapConsoleEndpoints();
        return app;
    }
}
