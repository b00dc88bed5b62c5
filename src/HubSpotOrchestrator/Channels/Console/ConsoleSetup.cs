using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Console;

internal static class ConsoleSetup
{
    public const string InboxPath = "/console/inbox";
    public const string SignInPath = "/console/signin";
    public const string SignOutPath = "/console/signout";
    public const string ActionsPath = "/console/actions";
    public const string StylesheetPath = "/console/console.css";

    /// <summary>
    /// The built-in console: its own cookie scheme (the API's default bearer scheme is untouched), anti-forgery for its
    /// forms, the inbox and the "console" prompt channel, enabled when neither Teams nor Slack is configured.
    /// </summary>
    public static IServiceCollection AddConsoleChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleAuth.CookieName;
            cookie.Cookie.Path = "/console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = SignInPath;
            cookie.AccessDeniedPath = SignInPath;
            cookie.SlidingExpiration = true;
        });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuth.Scheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => cookie.ExpireTimeSpan = console.Value.SessionLifetime);
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.Policy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(af =>
        {
            af.Cookie.Name = "hso.console.af";
            af.Cookie.Path = "/console";
        });
        services.AddSingleton<ConsoleFlash>();
        services.AddSingleton<ConsoleInbox>();
        services.AddSingleton<IPromptChannel, ConsolePromptChannel>();
        return services;
    }

    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        // The POST handlers check anti-forgery themselves (IAntiforgery.IsRequestValidAsync) before reading the form.
        var console = app.MapGroup("/console").ExcludeFromDescription();
        console.MapGet("/", () => Results.Redirect(InboxPath)).AllowAnonymous();
        console.MapGet("/console.css", () => Results.Text(ConsolePages.Stylesheet, "text/css; charset=utf-8")).AllowAnonymous();
        console.MapGet("/signin", ConsoleEndpoints.SignInPage).AllowAnonymous();
        console.MapPost("/signin", ConsoleEndpoints.SignIn).AllowAnonymous();
        console.MapPost("/signout", ConsoleEndpoints.SignOut).RequireAuthorization(ConsoleAuth.Policy);
        console.MapGet("/inbox", ConsoleEndpoints.Inbox).RequireAuthorization(ConsoleAuth.Policy);
        console.MapPost("/actions", ConsoleEndpoints.Action).RequireAuthorization(ConsoleAuth.Policy);
        return app;
    }
}
