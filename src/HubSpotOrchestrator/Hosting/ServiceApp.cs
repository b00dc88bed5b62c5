using System.Text.Json.Serialization;
using HubSpotOrchestrator.Api;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Console;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Integrations.HubSpot;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows;

namespace HubSpotOrchestrator.Hosting;

/// <summary>The service: composition of the features and their endpoints.</summary>
internal static class ServiceApp
{
    /// <param name="configureServices">Extra registrations after the service's own (the benchmark's workflow, for one).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = ServiceConfiguration.WithSettingsBesideBinary(WebApplication.CreateBuilder(args));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreUnavailableHandler>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // A request the framework cannot bind (a query value that is not a number, a body that is not the JSON expected)
        // is the client's error in every environment: 400, never the 500 that Development's default (throw) becomes
        // behind UseExceptionHandler. Any BadHttpRequestException that still escapes keeps its own status (400, 413…).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError); // store faults: StoreUnavailableHandler
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services
            .AddStorage(builder.Configuration)
            .AddRules(builder.Configuration)
            .AddJobs(builder.Configuration)
            .AddWebhooks(builder.Configuration)
            .AddEventRouting()
            .AddPeopleDirectory(builder.Configuration)
            .AddHubSpotCrm(builder.Configuration)
            .AddCards(builder.Configuration)
            .AddTeamsChannel(builder.Configuration)
            .AddTeamsBot(builder.Configuration)
            .AddSlackChannel(builder.Configuration)
            .AddApprovals(builder.Configuration)
            .AddChatCore(builder.Configuration)
            .AddConsoleChannel(builder.Configuration)
            .AddWorkflows(builder.Configuration)
            .AddApiAuth(builder.Configuration)
            .AddObservability();

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        ConfigurationErrors.ValidateOnStart(app.Services); // every invalid setting at once, before the endpoints below open stores
        _ = app.Services.GetRequiredService<LiteDbContext>(); // a damaged or locked data file is reported in one line, before the host starts
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWebhookEndpoints();
        app.MapTeamsEndpoints();
        app.MapRunsApi();
        app.MapEventsApi();
        app.MapRulesApi();
        app.MapApprovalsApi();
        app.MapExceptionsApi();
        app.MapOperationsApi();
        app.MapSlackEndpoints();
        app.MapConsoleEndpoints();
        app.MapObservability();
        app.MapJobsDashboard();
        return app;
    }
}
