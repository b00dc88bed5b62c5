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
        services.AddTransient<InboxSweeper>();
        services.AddHostedService<WebhookStartup>();
        return services;
    }
}

/// <summary>Registers the sweeper's recurring job and warns about settings that weaken verification.</summary>
internal sealed class WebhookStartup(IRecurringJobManager recurring, IOptions<WebhookOptions> webhooks, IOptions<HubSpotWebhookOptions> hubspot, ILogger<WebhookStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<InboxSweeper>(InboxSweeper.RecurringJobId, s => s.SweepAsync(), webhooks.Value.SweepCron);
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
