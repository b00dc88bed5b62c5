namespace HubSpotOrchestrator.Approvals;

internal static class ApprovalsSetup
{
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApprovalStateMachine>();
        services.AddSingleton<ApprovalAuthorizer>();
        services.AddSingleton<ApprovalTimers>();
        services.AddSingleton<ApprovalService>();
        return services;
    }
}
