using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Workflows.Procurement;

namespace HubSpotOrchestrator.Approvals;

internal static class ApprovalsSetup
{
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IApprovalStore, LiteApprovalStore>();
        services.AddSingleton<IPromptStore, LitePromptStore>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<ProcurementPolicy>();
        services.AddSingleton<PromptDispatcher>();
        services.AddSingleton<ActionTokens>();
        services.AddTransient<PromptDeliveryJob>();
        services.AddTransient<ApprovalTimers>();
        return services;
    }
}
