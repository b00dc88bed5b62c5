using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LiteDbContext>();
        services.AddTransient<LiteRetention>();
        services.AddHostedService<LiteRetentionStartup>();
        services.AddSingleton<LiteInboxStore>();
        services.AddSingleton<IInboxStore>(sp => sp.GetRequiredService<LiteInboxStore>());
        services.AddSingleton<IRoutingStore>(sp => sp.GetRequiredService<LiteInboxStore>());
        services.AddSingleton<IApprovalStore, LiteApprovalStore>();
        services.AddSingleton<IPromptStore, LitePromptStore>();
        services.AddSingleton<IConversationReferenceStore, LiteConversationReferenceStore>();
        services.AddSingleton<ISlackEventLog, LiteSlackEventLog>();
        services.AddSingleton<IRunStore, LiteRunStore>();
        services.AddSingleton<IProjectionStore, LiteProjectionStore>();
        services.AddSingleton<IRuleSetStore, LiteRuleSetStore>();
        services.AddSingleton<IStoreHealth, LiteStoreHealth>();
        services.AddSingleton<IRunEngineStore, LiteRunEngineStore>();
        services.AddSingleton<IAuditLog, LiteAuditLog>();
        return services;
    }
}
