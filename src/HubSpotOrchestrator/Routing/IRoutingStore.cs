namespace HubSpotOrchestrator.Routing;

/// <summary>Where routing decisions are written: inbox statuses, new runs and deal stages together.</summary>
public interface IRoutingStore
{
    /// <summary>
    /// Applies a routing job's decisions in ONE transaction: deal stages seen, runs inserted (an existing run id is
    /// kept, never duplicated), events marked Routed/Ignored, and batches whose events are all done closed. A
    /// decision for an event that is already Routed/Ignored is skipped whole.
    /// </summary>
    RoutingCommit CommitRouting(IReadOnlyList<RoutingOutcome> decisions, DateTime at);
}
