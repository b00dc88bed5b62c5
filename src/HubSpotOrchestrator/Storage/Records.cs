namespace HubSpotOrchestrator.Storage;

public enum InboxStatus
{
    Received,
    Dispatched,
    Routed,
    Ignored,
}

/// <summary>One HubSpot event as accepted into the inbox. Id is "{portalId}:{eventId}", the dedupe key.</summary>
public sealed class InboxEvent
{
    public string Id { get; set; } = "";
    public long PortalId { get; set; }
    public string EventId { get; set; } = "";
    public string Source { get; set; } = "webhooks-api";
    public string SubscriptionType { get; set; } = "";
    public string ObjectType { get; set; } = "";
    public long ObjectId { get; set; }
    public string? PropertyName { get; set; }
    public string? PropertyValue { get; set; }
    public string? ChangeSource { get; set; }
    public string? SourceId { get; set; }
    public long AppId { get; set; }
    public int AttemptNumber { get; set; }
    public DateTime OccurredAt { get; set; }
    public string? AssociationType { get; set; }
    public bool? AssociationRemoved { get; set; }
    public string? WorkflowAction { get; set; }
    public string Raw { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string BatchId { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
    public int DuplicateCount { get; set; }
    public DateTime? LastDuplicateAt { get; set; }
    public InboxStatus Status { get; set; }

    /// <summary>When the request (<see cref="BatchId"/>) this event arrived in was last handed to routing; filled from its <see cref="InboxBatch"/> on read, not stored per event.</summary>
    public DateTime? DispatchedAt { get; set; }

    /// <summary>How often the event's request was dispatched (the sweeper re-dispatches left-behind ones); filled from its <see cref="InboxBatch"/> on read.</summary>
    public int DispatchCount { get; set; }
    public DateTime? RoutedAt { get; set; }
    public string? IgnoredReason { get; set; }
    public string? RuleSetVersion { get; set; }
    public List<string> RunIds { get; set; } = [];
}

/// <summary>An event from a verified batch that could not be understood; kept raw so nothing is lost.</summary>
public sealed class QuarantinedEvent
{
    public string Id { get; set; } = "";
    public string BatchId { get; set; } = "";
    public int IndexInBatch { get; set; }
    public string Raw { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
    public long? PortalId { get; set; }
    public string? EventId { get; set; }
}

/// <summary>
/// The events one webhook request added to the inbox, written in the same transaction as those events, so
/// dispatch is tracked with one small document per request instead of an update of every event.
/// </summary>
public sealed class InboxBatch
{
    /// <summary>The request's batch id (the <see cref="InboxEvent.BatchId"/> of its events).</summary>
    public string Id { get; set; } = "";
    public List<string> EventIds { get; set; } = [];
    public DateTime ReceivedAt { get; set; }
    public DateTime? DispatchedAt { get; set; }
    public int DispatchCount { get; set; }

    /// <summary>When every event of the batch was routed or ignored; null while the sweeper must keep an eye on it.</summary>
    public DateTime? RoutedAt { get; set; }
}

/// <summary>A batch the sweeper found left behind, with those of its events that are still unrouted.</summary>
public sealed record LeftBehindBatch(string BatchId, IReadOnlyList<string> EventIds);

/// <summary>A deal stage an event showed, at the time the event occurred.</summary>
public sealed record DealStageSeen(long PortalId, long DealId, string Stage, DateTime At);

/// <summary>What routing decided for one inbox event: ignored with a reason, or routed to these (new, Pending) runs.</summary>
public sealed record RoutingOutcome(string InboxId, string BatchId, string RuleSetVersion, string? IgnoredReason, IReadOnlyList<Run> Runs, DealStageSeen? DealStage);

/// <summary>The decisions a routing commit applied (events not already routed by someone else) and the runs it inserted.</summary>
public sealed record RoutingCommit(IReadOnlyList<RoutingOutcome> Applied, IReadOnlySet<string> CreatedRunIds);

/// <summary>BatchId is null when the request added no new event (all duplicates or quarantined).</summary>
public sealed record InboxWriteResult(IReadOnlyList<string> AcceptedIds, IReadOnlyList<string> DuplicateIds, int Quarantined, string? BatchId = null);

public enum RunStatus
{
    Pending,
    Running,
    Waiting,
    Failed,
    Succeeded,
    Cancelled,
}

public sealed class MatchedRule
{
    public string RuleName { get; set; } = "";
    public string Expression { get; set; } = "";
}

public sealed class Run
{
    public string Id { get; set; } = "";
    public string Workflow { get; set; } = "";
    public RunStatus Status { get; set; }
    public string SubjectType { get; set; } = "";
    public long SubjectId { get; set; }
    public long PortalId { get; set; }
    public string CorrelationId { get; set; } = "";
    public string EventKey { get; set; } = "";
    public string RuleSetVersion { get; set; } = "";
    public List<MatchedRule> MatchedRules { get; set; } = [];
    public Dictionary<string, string?> RoutingInput { get; set; } = [];
    public DateTime OccurredAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? ReplayOf { get; set; }
    public string? StatusReason { get; set; }

    /// <summary>Index of the next step to execute; steps before it are checkpointed.</summary>
    public int CurrentStep { get; set; }

    /// <summary>What a Waiting run waits for: "approval:{id}", "exception:{id}" or "timer".</summary>
    public string? WaitingFor { get; set; }

    /// <summary>Workflow state saved with each checkpoint (step outputs by step name, supplied values).</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    /// <summary>Who may execute the run right now: a worker holds it until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? TriggeredBy { get; set; }

    public bool IsTerminal => Status is RunStatus.Succeeded or RunStatus.Cancelled;
}

public enum StepStatus
{
    Pending,
    Running,
    Waiting,
    Succeeded,
    Skipped,
    Failed,
}

/// <summary>One step of a run: its attempts, its checkpointed output, its last error. Id is "{runId}:{step}".</summary>
public sealed class RunStep
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    public string Name { get; set; } = "";
    public int Index { get; set; }
    public StepStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    public string? SkipReason { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum ExceptionStatus
{
    Open,
    Resolved,
}

/// <summary>A step that failed for good, or a data-quality violation: what failed, why, and the fixes on offer.</summary>
public sealed class ExceptionRecord
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    public string Workflow { get; set; } = "";
    public string Step { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Error { get; set; } = "";
    public string? System { get; set; }
    public string? SuggestedFix { get; set; }
    public List<string> Fixes { get; set; } = [];
    public string? MissingValue { get; set; }
    public ExceptionStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Resolution { get; set; }
}

public sealed class WorkflowControl
{
    /// <summary>The workflow name.</summary>
    public string Id { get; set; } = "";
    public bool Paused { get; set; }
    public string? ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
}

public sealed record RunQuery(
    RunStatus? Status = null,
    string? Workflow = null,
    string? SubjectType = null,
    long? SubjectId = null,
    DateTime? From = null,
    DateTime? To = null,
    int Page = 1,
    int PageSize = 50);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>The last stage this service saw for a deal, so routing can tell open deals from closed ones.</summary>
public sealed class DealProjection
{
    /// <summary>"{portalId}:{dealId}".</summary>
    public string Id { get; set; } = "";
    public long PortalId { get; set; }
    public string? Stage { get; set; }
    public DateTime StageChangedAt { get; set; }
}

/// <summary>A rule set that was activated at some point; decisions name it by <see cref="Version"/>.</summary>
public sealed class RuleSetRecord
{
    public string Id { get; set; } = "";
    public string Version { get; set; } = "";
    public DateTime ActivatedAt { get; set; }
    public Dictionary<string, string> Files { get; set; } = [];
}
