namespace HubSpotOrchestrator.Workflows;

/// <summary>Starts executing a run that routing created. Called after the run is durably stored; must be idempotent.</summary>
public interface IRunStarter
{
    void Start(string runId);
}
