using LiteDB;
using Microsoft.Extensions.Options;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// Owns the single LiteDB instance of the process. Direct connection mode: one writer at a time inside the
/// process, so every write goes through <see cref="Write{T}"/>, which runs it on one writer thread.
/// </summary>
internal sealed class LiteDbContext : IDisposable
{
    public LiteDbContext(IOptions<StorageOptions> options)
    {
        var path = options.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
// Store strings exactly as given: LiteDB's defaults would trim them and turn "" into null.
        var mapper = new BsonMapper { EnumAsInteger = false, TrimWhitespace = false, EmptyStringToNull = false };

        // Dispatch state lives in the request's InboxBatch (one small update per request, not one per event).
        mapper.Entity<InboxEvent>().Ignore(x => x.DispatchedAt).Ignore(x => x.DispatchCount);
        Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper)
        {
            UtcDate = true,
        };
        EnsureCollections();
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "litedb-writer" };
        _writer.Start();
    }

    /// <summary>Inbox indexes of earlier versions that nothing queries any more.</summary>
    public static readonly string[] InboxIndexesDropped = ["Status", "ReceivedAt", "CorrelationId"];

    public LiteDatabase Database { get; }

    public ILiteCollection<InboxEvent> Inbox => Database.GetCollection<InboxEvent>("inbox");

    public ILiteCollection<InboxBatch> InboxBatches => Database.GetCollection<InboxBatch>("inbox_batches");

    public ILiteCollection<QuarantinedEvent> Quarantine => Database.GetCollection<QuarantinedEvent>("quarantine");

    public ILiteCollection<Run> Runs => Database.GetCollection<Run>("runs");

    public ILiteCollection<DealProjection> Deals => Database.GetCollection<DealProjection>("deals");

    public ILiteCollection<RuleSetRecord> RuleSets => Database.GetCollection<RuleSetRecord>("rule_sets");

    /// <summary>
    /// Runs <paramref name="write"/> (reads and writes that must be atomic) on the single writer thread and returns once
    /// it is committed. Writes that arrive together share one transaction and so one flush to disk (group commit): with
    /// LiteDB each commit is a synchronous flush, which otherwise caps the whole service at a few hundred commits a second.
    /// </summary>
    public T Write<T>(Func<T> write)
    {
        if (_onWriterThread)
        {
            return write();
        }

        var item = new WriteItem<T>(write);
        _queue.Add(item);
        return item.Wait();
    }

    public void Write(Action write) => Write(() =>
    {
        write();
        return 0;
    });

    /// <summary>Rolled-back batches so far; a cache of committed state kept on the writer thread is stale when it changes.</summary>
    public long RollbackCount { get; private set; }

    /// <summary>Runs <paramref name="write"/> as one LiteDB transaction: all of it is durable, or none of it.</summary>
    public T InTransaction<T>(Func<T> write) => Write(write);

    private void WriterLoop()
    {
        _onWriterThread = true;
        var batch = new List<IWriteItem>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            CommitBatch(batch);
        }
    }

    private void CommitBatch(List<IWriteItem> batch)
    {
        var items = new List<IWriteItem>(batch);
        while (items.Count > 0)
        {
            Database.BeginTrans();
            var failed = -1;
            Exception? error = null;
            for (var i = 0; i < items.Count && failed < 0; i++)
            {
                try
                {
                    items[i].Run();
                }
                #pragma warning disable CA1031 // the group-commit writer hands any item's failure to that item's caller and keeps writing
                catch (Exception ex)
                #pragma warning restore CA1031
                {
                    failed = i;
                    error = ex;
                }
            }

            if (failed < 0)
            {
                try
                {
                    Database.Commit();
                }
                #pragma warning disable CA1031 // the group-commit writer hands a failed commit to every waiting caller and keeps writing
                catch (Exception ex)
                #pragma warning restore CA1031
                {
                    Database.Rollback();
                    RollbackCount++;
                    items.ForEach(item => item.Fail(ex));
                    return;
                }

                items.ForEach(item => item.Complete());
                return;
            }

            // Only the item that threw fails; the others (undone by the rollback) are run again without it.
            Database.Rollback();
            RollbackCount++;
            items[failed].Fail(error!);
            items.RemoveAt(failed);
        }
    }

    private const int MaxBatch = 256;

    [ThreadStatic]
    private static bool _onWriterThread;

    private readonly System.Collections.Concurrent.BlockingCollection<IWriteItem> _queue = new();

    private readonly Thread _writer;

    private interface IWriteItem
    {
        void Run();

        void Complete();

        void Fail(Exception ex);
    }

    private sealed class WriteItem<T>(Func<T> work) : IWriteItem
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public void Run() => _result = work();

        public void Complete() => _done.TrySetResult(_result);

        public void Fail(Exception ex) => _done.TrySetException(ex);

        public T Wait() => _done.Task.GetAwaiter().GetResult();
    }

    private void EnsureCollections()
    {
        // The inbox is written 100 documents per request, so it keeps only the index a query needs
        // (/api/events/{eventId}); the sweeper works from the open InboxBatches. Indexes of older files go.
        Inbox.EnsureIndex(x => x.EventId);
        foreach (var unused in InboxIndexesDropped)
        {
            Inbox.DropIndex(unused);
        }

        InboxBatches.EnsureIndex(x => x.RoutedAt);
        Quarantine.EnsureIndex(x => x.EventId);
        Quarantine.EnsureIndex(x => x.ReceivedAt);
        Runs.EnsureIndex(x => x.Status);
        Runs.EnsureIndex(x => x.Workflow);
        Runs.EnsureIndex(x => x.SubjectId);
        Runs.EnsureIndex(x => x.CreatedAt);
        Runs.EnsureIndex(x => x.CorrelationId);
        RuleSets.EnsureIndex(x => x.Version, unique: true);

        // Every collection exists before anything runs concurrently: LiteDB 5 can fail a read with "page type must be
        // collection page" (and then refuse every later operation) when it meets a collection another thread's open
        // transaction is creating. Index names and expressions match the typed EnsureIndex calls of the stores.
        foreach (var (collection, fields) in AllCollections)
        {
            var col = Database.GetCollection(collection);
            if (fields.Length == 0 && !Database.CollectionExists(collection))
            {
                col.Insert(new BsonDocument { ["_id"] = "__created" });
                col.Delete("__created");
            }

            foreach (var field in fields)
            {
                col.EnsureIndex(field, "$." + field);
            }
        }
    }

    private static readonly (string Collection, string[] Fields)[] AllCollections =
    [
        ("deals", []),
        ("workflow_controls", []),
        ("health", []),
        ("run_steps", ["RunId"]),
        ("exceptions", ["Status", "RunId"]),
        ("prompts", ["RecipientId", "ApprovalId"]),
        ("approvals", ["Status", "DealId", "RunId"]),
        ("audit", ["Subject"]),
        ("slack_events", ["ReceivedAt"]),
        ("teams_references", ["PersonId", "UserAadObjectId", "UserId", "ConversationId"]),
    ];

    public void Dispose()
    {
        _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(10));
        _queue.Dispose();
        Database.Dispose();
    }
}
