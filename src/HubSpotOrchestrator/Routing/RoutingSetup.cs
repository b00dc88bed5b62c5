using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Routing;

internal static class RoutingSetup
{
    public static IServiceCollection AddEventRouting(this IServiceCollection services)
    {
        services.AddSingleton(RoutingRules.Kind);
        services.AddSingleton<EventRouter>();
        services.AddTransient<IInboxRouter, RoutingJob>();
        return services;
    }
}
