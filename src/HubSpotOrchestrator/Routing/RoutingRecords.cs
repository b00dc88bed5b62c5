using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Routing;

/// <summary>A deal stage an event showed, at the time the event occurred.</summary>
public sealed record DealStageSeen(long PortalId, long DealId, string Stage, DateTime At);

/// <summary>What routing decided for one inbox event: ignored with a reason, or routed to these (new, Pending) runs.</summary>
public sealed record RoutingOutcome(string InboxId, string BatchId, string RuleSetVersion, string? IgnoredReason, IReadOnlyList<Run> Runs, DealStageSeen? DealStage);

/// <summary>The decisions a routing commit applied (events not already routed by someone else) and the runs it inserted.</summary>
public sealed record RoutingCommit(IReadOnlyList<RoutingOutcome> Applied, IReadOnlySet<string> CreatedRunIds);
