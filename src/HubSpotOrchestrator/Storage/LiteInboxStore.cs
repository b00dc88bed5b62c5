using LiteDB;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

internal sealed class LiteInboxStore(LiteDbContext db, IRunStore runs, IProjectionStore projections) : IInboxStore, IRoutingStore
{
    public InboxWriteResult AcceptBatch(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined)
    {
        try
        {
            // Most requests carry only new events: insert them blind, the primary key still refuses a known one.
            // (A FindById per event goes through LiteDB's query pipeline and costs as much as the insert.)
            return db.InTransaction(() => Write(events, quarantined, lookUpEach: false));
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Some event is known: the attempt was rolled back whole; redo it counting the duplicates.
            return db.InTransaction(() => Write(events, quarantined, lookUpEach: true));
        }
    }

    private InboxWriteResult Write(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined, bool lookUpEach)
    {
        var accepted = new List<string>(events.Count);
        var duplicates = new List<string>();
        var inbox = db.Inbox;
        if (!lookUpEach)
        {
            inbox.Insert(events);
            accepted.AddRange(events.Select(e => e.Id));
        }
        else
        {
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
        }

        if (quarantined.Count > 0)
        {
            db.Quarantine.InsertBulk(quarantined);
        }

        string? batchId = null;
        if (accepted.Count > 0)
        {
            var first = events.First(e => e.Id == accepted[0]);
            batchId = first.BatchId;
            var batch = db.InboxBatches.FindById(batchId) ?? new InboxBatch { Id = batchId, ReceivedAt = first.ReceivedAt };
            batch.EventIds.AddRange(accepted);
            db.InboxBatches.Upsert(batch);
        }

        return new InboxWriteResult(accepted, duplicates, quarantined.Count, batchId);
    }

    public InboxEvent? Find(string id) => LiteKeys.TooLong(id) ? null : db.Read(() => FindOnOwner(id));

    private InboxEvent? FindOnOwner(string id)
    {
        var e = db.Inbox.FindById(id);
        if (e is not null)
        {
            WithDispatchState(e, db.InboxBatches.FindById(e.BatchId));
        }

        return e;
    }

    public IReadOnlyList<InboxEvent> FindMany(IEnumerable<string> ids)
    {
        var wanted = ids.ToList();
        return db.Read(() => FindManyOnOwner(wanted));
    }

    private List<InboxEvent> FindManyOnOwner(List<string> ids)
    {
        var batches = new Dictionary<string, InboxBatch?>(StringComparer.Ordinal);
        var found = new List<InboxEvent>();
        foreach (var id in ids)
        {
            if (db.Inbox.FindById(id) is not { } e)
            {
                continue;
            }

            if (!batches.TryGetValue(e.BatchId, out var batch))
            {
                batches[e.BatchId] = batch = db.InboxBatches.FindById(e.BatchId);
            }

            found.Add(WithDispatchState(e, batch));
        }

        return found;
    }

    public IReadOnlyList<InboxEvent> FindByEventId(string eventId) => db.Read(() => FindManyOnOwner(db.Inbox.Find(x => x.EventId == eventId).Select(x => x.Id).ToList()));

    public IReadOnlyList<QuarantinedEvent> FindQuarantined(string? eventId = null, int limit = 100) =>
        db.Read(() => eventId is null
            ? db.Quarantine.Query().OrderByDescending(x => x.ReceivedAt).Limit(limit).ToList()
            : db.Quarantine.Find(x => x.EventId == eventId, limit: limit).ToList());

    public void MarkDispatched(IReadOnlyCollection<string> batchIds, DateTime at)
    {
        db.InTransaction(() =>
        {
            foreach (var id in batchIds)
            {
                if (db.InboxBatches.FindById(id) is not { } batch)
                {
                    continue;
                }

                batch.DispatchCount++;
                batch.DispatchedAt = at;
                db.InboxBatches.Update(batch);
            }

            return 0;
        });
    }

    public IReadOnlyList<LeftBehindBatch> FindLeftBehind(DateTime receivedBefore, DateTime dispatchedBefore, int limit) =>
        db.Read(() => FindLeftBehindOnOwner(receivedBefore, dispatchedBefore, limit));

    private List<LeftBehindBatch> FindLeftBehindOnOwner(DateTime receivedBefore, DateTime dispatchedBefore, int limit)
    {
        // Open batches (not all routed yet) are the routing backlog: few documents, one per request.
        var candidates = db.InboxBatches.Find(Query.EQ(nameof(InboxBatch.RoutedAt), BsonValue.Null))
            .Where(b => b.DispatchedAt is null ? b.ReceivedAt < receivedBefore : b.DispatchedAt < dispatchedBefore)
            .OrderBy(b => b.ReceivedAt)
            .ToList();
        var due = new List<LeftBehindBatch>();
        var complete = new List<(InboxBatch Batch, DateTime RoutedAt)>();
        var total = 0;
        foreach (var batch in candidates)
        {
            var events = batch.EventIds.Select(id => db.Inbox.FindById(id)).OfType<InboxEvent>().ToList();
            var unrouted = events.Where(e => !IsDone(e.Status)).Select(e => e.Id).ToList();
            if (unrouted.Count == 0)
            {
                complete.Add((batch, events.Max(e => e.RoutedAt) ?? dispatchedBefore));
                continue;
            }

            if (total >= limit)
            {
                continue;
            }

            due.Add(new LeftBehindBatch(batch.Id, unrouted));
            total += unrouted.Count;
        }

        if (complete.Count > 0)
        {
            db.InTransaction(() =>
            {
                foreach (var (batch, routedAt) in complete)
                {
                    batch.RoutedAt = routedAt;
                    db.InboxBatches.Update(batch);
                }

                return 0;
            });
        }

        return due;
    }

    public RoutingCommit CommitRouting(IReadOnlyList<RoutingOutcome> decisions, DateTime at) =>
        db.InTransaction(() =>
        {
            // The run and projection stores take the same (re-entrant) write lock on this thread, so their
            // writes join this transaction.
            var applied = new List<RoutingOutcome>(decisions.Count);
            var created = new HashSet<string>(StringComparer.Ordinal);
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in decisions)
            {
                var e = db.Inbox.FindById(d.InboxId);
                if (e is null || IsDone(e.Status))
                {
                    continue;
                }

                if (d.DealStage is { } stage)
                {
                    projections.ObserveDealStage(stage.PortalId, stage.DealId, stage.Stage, stage.At);
                }

                foreach (var run in d.Runs)
                {
                    if (runs.TryCreate(run))
                    {
                        created.Add(run.Id);
                    }
                }

                e.Status = d.IgnoredReason is null ? InboxStatus.Routed : InboxStatus.Ignored;
                e.RoutedAt = at;
                e.RuleSetVersion = d.RuleSetVersion;
                e.IgnoredReason = d.IgnoredReason;
                e.RunIds = [.. e.RunIds.Union(d.Runs.Select(r => r.Id))];
                db.Inbox.Update(e);
                applied.Add(d);
                done.Add(d.InboxId);
            }

            foreach (var batchId in decisions.Select(d => d.BatchId).Distinct())
            {
                if (db.InboxBatches.FindById(batchId) is { RoutedAt: null } batch
                    && batch.EventIds.All(id => done.Contains(id) || (db.Inbox.FindById(id) is { } other && IsDone(other.Status))))
                {
                    batch.RoutedAt = at;
                    db.InboxBatches.Update(batch);
                }
            }

            return new RoutingCommit(applied, created);
        });

    private static bool IsDone(InboxStatus status) => status is InboxStatus.Routed or InboxStatus.Ignored;

    private static InboxEvent WithDispatchState(InboxEvent e, InboxBatch? batch)
    {
        if (batch is not null)
        {
            e.DispatchedAt = batch.DispatchedAt;
            e.DispatchCount = batch.DispatchCount;
            if (e.Status == InboxStatus.Received && batch.DispatchedAt is not null)
            {
                e.Status = InboxStatus.Dispatched;
            }
        }

        return e;
    }
}
