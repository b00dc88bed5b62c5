namespace HubSpotOrchestrator.Webhooks;

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

    /// <summary>The exact bytes in base64 when they are not valid UTF-8 (<see cref="Raw"/> then shows those bytes as U+FFFD); else null.</summary>
    public string? RawBase64 { get; set; }
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

/// <summary>BatchId is null when the request added no new event (all duplicates or quarantined).</summary>
public sealed record InboxWriteResult(IReadOnlyList<string> AcceptedIds, IReadOnlyList<string> DuplicateIds, int Quarantined, string? BatchId = null);
