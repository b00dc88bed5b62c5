using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;

namespace HubSpotOrchestrator.Channels.Teams;

public static class TeamsSetup
{
    internal const string MetadataHttpClientName = "Teams.Metadata";
    internal const string TokenHttpClientName = "Teams.Token";

    /// <summary>
    /// Registers the Teams protocol layer: <see cref="BotFrameworkAuthenticator"/>, <see cref="BotTokenProvider"/>,
    /// <see cref="TeamsConnectorClient"/> and <see cref="TrustedServiceUrls"/>. Without Teams:AppId/AppPassword the
    /// service still starts (<see cref="TeamsOptions.IsConfigured"/> is false) and inbound tokens are refused.
    /// </summary>
    public static IServiceCollection AddTeamsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TeamsOptions>()
            .Bind(configuration.GetSection(TeamsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(MetadataHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(TokenHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(TeamsConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));

        services.TryAddSingleton<TrustedServiceUrls>();
        services.TryAddSingleton<IConfigurationManager<BotSigningMetadata>>(sp => new ConfigurationManager<BotSigningMetadata>(
            sp.GetRequiredService<IOptions<TeamsOptions>>().Value.OpenIdMetadataUrl,
            new BotSigningMetadataRetriever(),
            new LoopbackAwareDocumentRetriever(sp.GetRequiredService<IHttpClientFactory>().CreateClient(MetadataHttpClientName))));
        services.TryAddSingleton(sp => new BotFrameworkAuthenticator(
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<IConfigurationManager<BotSigningMetadata>>(),
            sp.GetRequiredService<TrustedServiceUrls>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotFrameworkAuthenticator>>()));
        services.TryAddSingleton(sp => new BotTokenProvider(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TokenHttpClientName),
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotTokenProvider>>()));
        services.TryAddSingleton(sp => new TeamsConnectorClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<BotTokenProvider>(),
            sp.GetRequiredService<TrustedServiceUrls>(),
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TeamsConnectorClient>>()));
        services.AddHostedService<TeamsStartupReport>();
        return services;
    }

    /// <summary>
    /// The Teams bot on top of the protocol layer: the conversation reference store, the <c>/api/messages</c>
    /// handler and the <c>teams</c> prompt channel. Needs AddTeamsChannel, AddStorage, AddApprovals, AddChatCore, AddCards.
    /// </summary>
    public static IServiceCollection AddTeamsBot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<TeamsPeople>();
        services.TryAddSingleton<TeamsCards>();
        services.TryAddSingleton<TeamsBot>();
        services.AddTransient<TeamsCardUpdateJob>();
        services.AddSingleton<IPromptChannel, TeamsPromptChannel>();
        return services;
    }

    /// <summary><c>POST /api/messages</c>, authenticated by the Bot Framework JWT (not by the API's auth).</summary>
    public static IEndpointRouteBuilder MapTeamsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", TeamsEndpoints.HandleAsync).AllowAnonymous().WithTags("Teams");
        return app;
    }
}

/// <summary>Says at start whether Teams is configured and warns loudly when anonymous requests are accepted.</summary>
internal sealed class TeamsStartupReport(IOptions<TeamsOptions> options, IHostEnvironment environment, ILogger<TeamsStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var value = options.Value;
        if (value.AllowAnonymousInDevelopment && environment.IsDevelopment())
        {
            logger.LogWarning("Teams: ANONYMOUS MODE. /api/messages accepts requests without a Bot Framework token (Teams:AllowAnonymousInDevelopment=true, Development only). Never enable this outside local development.");
        }

        if (!value.IsConfigured)
        {
            logger.LogInformation("Teams channel is not configured (Teams:AppId / Teams:AppPassword empty); Teams requests with tokens will be refused.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
