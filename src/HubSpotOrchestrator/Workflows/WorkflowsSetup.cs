using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Workflows.Engine;
using HubSpotOrchestrator.Workflows.Procurement;

namespace HubSpotOrchestrator.Workflows;

internal static class WorkflowsSetup
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcurementOptions>().Bind(configuration.GetSection(ProcurementOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkflowRegistry>();
        services.AddSingleton<RunLifecycle>();
        services.AddSingleton<RunOperations>();
        services.AddSingleton<IApprovalListener, ApprovalRunResumer>();
        services.AddSingleton<IRunStarter, RunScheduler>();
        services.AddTransient<RunExecutor>();
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RunDispatcher>());
        services.AddSingleton<RunLeases>();
        services.AddSingleton<RunSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RunSweeper>());
        services.AddHostedService<RunSweeperStartup>();
        services.AddSingleton<IWorkflow, ProcurementApprovalWorkflow>();
        services.AddSingleton<ProcurementPolicy>();
        services.AddSingleton(ProcurementPolicy.Kind);
        return services;
    }
}
