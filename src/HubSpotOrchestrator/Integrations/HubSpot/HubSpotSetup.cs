using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Integrations.HubSpot;

public static class HubSpotSetup
{
    /// <summary>
    /// Registers <see cref="IHubSpotCrm"/>, bound from the CRM keys of the "HubSpot" section (see <see cref="HubSpotCrmOptions"/>).
    /// Uses the registered <see cref="TimeProvider"/> (the system clock unless one is registered first).
    /// </summary>
    public static IServiceCollection AddHubSpotCrm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubSpotCrmOptions>()
            .Bind(configuration.GetSection(HubSpotCrmOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubSpotCrmOptions>, HubSpotCrmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<HubSpotCrmOptions>>().Value);
        services.TryAddSingleton<HubSpotRateLimiters>();
        services.TryAddSingleton<HubSpotAccessTokenProvider>();
        services.TryAddSingleton<HubSpotResiliencePipeline>();
        services.TryAddSingleton<HubSpotRateLimitMonitor>();

        // Timeouts are per attempt and run on the TimeProvider, so HttpClient's own (real-time) timeout is switched off.
        services.AddHttpClient<HubSpotHttp>((sp, client) =>
        {
            var options = sp.GetRequiredService<HubSpotCrmOptions>();
            var baseUrl = options.BaseUrl.ToString();
            client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        services.AddHttpClient(HubSpotAccessTokenProvider.OAuthHttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<HubSpotCrmOptions>().RequestTimeout);
        services.TryAddTransient<IHubSpotCrm, HubSpotCrmClient>();
        return services;
    }
}
