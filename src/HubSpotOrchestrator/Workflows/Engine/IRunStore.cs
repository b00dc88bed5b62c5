using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Workflows.Engine;

public interface IRunStore
{
    /// <summary>Inserts the run unless one with the same id exists; returns false for an existing one.</summary>
    bool TryCreate(Run run);

    Run? Get(string id);

    PagedResult<Run> Query(RunQuery query);

    void Update(Run run);
}
