namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>Starts runs that routing created, through Hangfire.</summary>
internal sealed class RunScheduler(RunLifecycle lifecycle) : IRunStarter
{
    public void Start(string runId) => lifecycle.Start(runId);
}
