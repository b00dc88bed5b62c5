using Hangfire;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

internal static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubSpotWebhookOptions>().Bind(configuration.GetSection(HubSpotWebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HubSpotRequestVerifier>();
        services.AddSingleton<WebhookIngest>();
        services.AddSingleton<EventDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EventDispatcher>());
        services.AddHostedService<WebhookStartup>();
        services.AddSingleton<InboxSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxSweeper>());
        return services;
    }
}

/// <summary>Removes the sweeper's former recurring job (it runs in-process now) and warns about settings that weaken verification.</summary>
internal sealed class WebhookStartup(IRecurringJobManager recurring, IOptions<HubSpotWebhookOptions> hubspot, ILogger<WebhookStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.RemoveIfExists(InboxSweeper.LegacyRecurringJobId);
        if (hubspot.Value.AllowLegacySignatures)
        {
            logger.LogWarning("HubSpot:AllowLegacySignatures is on: v1/v2 signatures carry no timestamp, so replayed requests cannot be detected");
        }

        if (string.IsNullOrEmpty(hubspot.Value.ClientSecret))
        {
            logger.LogWarning("HubSpot:ClientSecret is not set: webhooks are verified against a local secret in the data folder (used by 'simulate'); real HubSpot deliveries will be refused until it is set");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
