using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Slack;

public static class SlackSetup
{
    /// <summary>
    /// Registers the Slack channel: <see cref="SlackSignatureVerifier"/>, <see cref="SlackWebApiClient"/>, the prompt
    /// channel, the jobs behind the endpoints and the event dedupe log. Without Slack:BotToken and Slack:SigningSecret
    /// the service still starts (<see cref="SlackOptions.IsConfigured"/> is false): inbound requests fail verification,
    /// prompts skip Slack, and Web API calls raise a Configuration failure naming the key.
    /// </summary>
    public static IServiceCollection AddSlackChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SlackOptions>()
            .Bind(configuration.GetSection(SlackOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SlackWebApiClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton(sp => new SlackSignatureVerifier(sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SlackWebApiClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<SlackOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SlackWebApiClient>>()));
        services.TryAddSingleton<SlackPeople>();
        services.TryAddTransient<SlackMessageJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPromptChannel, SlackPromptChannel>());
        return services;
    }
}
