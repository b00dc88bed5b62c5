
namespace HubSpotOrchestrator.Rules;

internal static class RulesSetup
{
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>().Bind(configuration.GetSection(RulesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RuleSetProvider>();
        services.AddSingleton<RuleWorkflowCatalog>();
        services.AddHostedService<RulesStartup>();
        return services;
    }
}

/// <summary>Loads and warms the rule set before the server listens; an invalid set stops the service.</summary>
internal sealed class RulesStartup(RuleSetProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => provider.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
