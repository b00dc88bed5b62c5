namespace HubSpotOrchestrator.Storage;

/// <summary>The webhook inbox: accepted events (deduplicated), their quarantine, and their dispatch state.</summary>
public interface IInboxStore
{
    /// <summary>Stores a verified batch in one durable write: new events inserted, known ones counted as duplicates.</summary>
    InboxWriteResult AcceptBatch(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined);

    InboxEvent? Find(string id);

    IReadOnlyList<InboxEvent> FindByEventId(string eventId);

    IReadOnlyList<QuarantinedEvent> FindQuarantined(string? eventId = null, int limit = 100);

    void MarkDispatched(IReadOnlyCollection<string> ids, DateTime at);

    /// <summary>
    /// Events left behind: still <see cref="InboxStatus.Received"/> since before <paramref name="receivedBefore"/>,
    /// or dispatched but not routed since before <paramref name="dispatchedBefore"/>.
    /// </summary>
    IReadOnlyList<string> FindUnrouted(DateTime receivedBefore, DateTime dispatchedBefore, int limit);

    void MarkRouted(string id, string ruleSetVersion, IReadOnlyList<string> runIds, DateTime at);

    void MarkIgnored(string id, string ruleSetVersion, string reason, DateTime at);
}

public interface IRunStore
{
    /// <summary>Inserts the run unless one with the same id exists; returns false for an existing one.</summary>
    bool TryCreate(Run run);

    Run? Get(string id);

    PagedResult<Run> Query(RunQuery query);

    void Update(Run run);
}

public interface IProjectionStore
{
    DealProjection? GetDeal(long portalId, long dealId);

    /// <summary>Records a stage seen at <paramref name="at"/>; an older observation never overwrites a newer one.</summary>
    void ObserveDealStage(long portalId, long dealId, string stage, DateTime at);
}

public interface IRuleSetStore
{
    void RecordActivation(RuleSetRecord record);

    RuleSetRecord? Get(string version);
}

public interface IStoreHealth
{
    /// <summary>Writes and reads back a probe document; throws when the store is not writable.</summary>
    void Probe(DateTime at);
}
