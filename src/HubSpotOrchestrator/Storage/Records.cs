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
    public DateTime? DispatchedAt { get; set; }
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

public sealed record InboxWriteResult(IReadOnlyList<string> AcceptedIds, IReadOnlyList<string> DuplicateIds, int Quarantined);

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
