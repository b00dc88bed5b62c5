namespace HubSpotOrchestrator.Routing;

public interface IProjectionStore
{
    DealProjection? GetDeal(long portalId, long dealId);

    /// <summary>Records a stage seen at <paramref name="at"/>; an older observation never overwrites a newer one.</summary>
    void ObserveDealStage(long portalId, long dealId, string stage, DateTime at);
}
