
namespace HubSpotOrchestrator.Webhooks;

/// <summary>The webhook inbox: accepted events (deduplicated), their quarantine, and their dispatch state.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Stores a verified batch in one durable write: new events inserted, known ones counted as duplicates, and
    /// one <see cref="InboxBatch"/> listing the new ones (their dispatch state).
    /// </summary>
    InboxWriteResult AcceptBatch(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined);

    /// <summary>The event with its dispatch state (from its batch), or null.</summary>
    InboxEvent? Find(string id);

    /// <summary>The events that exist among <paramref name="ids"/>, in that order, with their dispatch state.</summary>
    IReadOnlyList<InboxEvent> FindMany(IEnumerable<string> ids);

    IReadOnlyList<InboxEvent> FindByEventId(string eventId);

    IReadOnlyList<QuarantinedEvent> FindQuarantined(string? eventId = null, int limit = 100);

    /// <summary>Records that the events of these batches were handed to routing (one small update per batch).</summary>
    void MarkDispatched(IReadOnlyCollection<string> batchIds, DateTime at);

    /// <summary>
    /// Batches left behind, with their unrouted events: never dispatched and received before <paramref name="receivedBefore"/>,
    /// or dispatched before <paramref name="dispatchedBefore"/> and still not fully routed. Batches found fully routed
    /// are closed on the way. Stops adding batches once <paramref name="limit"/> events are collected.
    /// </summary>
    IReadOnlyList<LeftBehindBatch> FindLeftBehind(DateTime receivedBefore, DateTime dispatchedBefore, int limit);
}
