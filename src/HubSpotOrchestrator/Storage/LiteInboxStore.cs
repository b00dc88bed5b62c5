using LiteDB;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteInboxStore(LiteDbContext db) : IInboxStore
{
    public InboxWriteResult AcceptBatch(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined)
    {
        return db.InTransaction(() =>
        {
            var accepted = new List<string>(events.Count);
            var duplicates = new List<string>();
            var inbox = db.Inbox;
            foreach (var e in events)
            {
                var existing = inbox.FindById(e.Id);
                if (existing is null)
                {
                    inbox.Insert(e);
                    accepted.Add(e.Id);
                }
                else
                {
                    existing.DuplicateCount++;
                    existing.LastDuplicateAt = e.ReceivedAt;
                    inbox.Update(existing);
                    duplicates.Add(e.Id);
                }
            }

            if (quarantined.Count > 0)
            {
                db.Quarantine.InsertBulk(quarantined);
            }

            return new InboxWriteResult(accepted, duplicates, quarantined.Count);
        });
    }

    public InboxEvent? Find(string id) => db.Inbox.FindById(id);

    public IReadOnlyList<InboxEvent> FindByEventId(string eventId) => db.Inbox.Find(x => x.EventId == eventId).ToList();

    public IReadOnlyList<QuarantinedEvent> FindQuarantined(string? eventId = null, int limit = 100) =>
        eventId is null
            ? db.Quarantine.Query().OrderByDescending(x => x.ReceivedAt).Limit(limit).ToList()
            : db.Quarantine.Find(x => x.EventId == eventId, limit: limit).ToList();

    public void MarkDispatched(IReadOnlyCollection<string> ids, DateTime at)
    {
        db.InTransaction(() =>
        {
            foreach (var id in ids)
            {
                var e = db.Inbox.FindById(id);
                if (e is null)
                {
                    continue;
                }

                e.DispatchCount++;
                e.DispatchedAt = at;
                if (e.Status == InboxStatus.Received)
                {
                    e.Status = InboxStatus.Dispatched;
                }

                db.Inbox.Update(e);
            }

            return 0;
        });
    }

    public IReadOnlyList<string> FindUnrouted(DateTime receivedBefore, DateTime dispatchedBefore, int limit)
    {
        var received = db.Inbox.Query()
            .Where(Query.EQ("Status", nameof(InboxStatus.Received)))
            .Where(x => x.ReceivedAt < receivedBefore)
            .OrderBy(x => x.ReceivedAt)
            .Select(x => x.Id)
            .Limit(limit)
            .ToList();
        var stuck = db.Inbox.Query()
            .Where(Query.EQ("Status", nameof(InboxStatus.Dispatched)))
            .Where(x => x.DispatchedAt < dispatchedBefore)
            .OrderBy(x => x.ReceivedAt)
            .Select(x => x.Id)
            .Limit(limit)
            .ToList();
        return [.. received.Concat(stuck).Take(limit)];
    }

    public void MarkRouted(string id, string ruleSetVersion, IReadOnlyList<string> runIds, DateTime at) =>
        Update(id, e =>
        {
            e.Status = InboxStatus.Routed;
            e.RoutedAt = at;
            e.RuleSetVersion = ruleSetVersion;
            e.RunIds = [.. e.RunIds.Union(runIds)];
        });

    public void MarkIgnored(string id, string ruleSetVersion, string reason, DateTime at) =>
        Update(id, e =>
        {
            e.Status = InboxStatus.Ignored;
            e.RoutedAt = at;
            e.RuleSetVersion = ruleSetVersion;
            e.IgnoredReason = reason;
        });

    private void Update(string id, Action<InboxEvent> change)
    {
        lock (db.WriteLock)
        {
            var e = db.Inbox.FindById(id) ?? throw new InvalidOperationException($"Inbox event {id} does not exist.");
            change(e);
            db.Inbox.Update(e);
        }
    }
}
