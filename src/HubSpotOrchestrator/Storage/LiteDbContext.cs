using LiteDB;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// Owns the single LiteDB instance of the process. Direct connection mode: one writer at a time inside the
/// process, which is why every multi-document write below runs under <see cref="WriteLock"/> on one thread.
/// </summary>
internal sealed class LiteDbContext : IDisposable
{
    public LiteDbContext(IOptions<StorageOptions> options)
    {
        var path = options.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var mapper = new BsonMapper { EnumAsInteger = false };

        // Dispatch state lives in the request's InboxBatch (one small update per request, not one per event).
        mapper.Entity<InboxEvent>().Ignore(x => x.DispatchedAt).Ignore(x => x.DispatchCount);
        Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper)
        {
            UtcDate = true,
        };
        EnsureCollections();
    }

    /// <summary>Inbox indexes of earlier versions that nothing queries any more.</summary>
    public static readonly string[] InboxIndexesDropped = ["Status", "ReceivedAt", "CorrelationId"];

    public LiteDatabase Database { get; }

    public object WriteLock { get; } = new();

    public ILiteCollection<InboxEvent> Inbox => Database.GetCollection<InboxEvent>("inbox");

    public ILiteCollection<InboxBatch> InboxBatches => Database.GetCollection<InboxBatch>("inbox_batches");

    public ILiteCollection<QuarantinedEvent> Quarantine => Database.GetCollection<QuarantinedEvent>("quarantine");

    public ILiteCollection<Run> Runs => Database.GetCollection<Run>("runs");

    public ILiteCollection<DealProjection> Deals => Database.GetCollection<DealProjection>("deals");

    public ILiteCollection<RuleSetRecord> RuleSets => Database.GetCollection<RuleSetRecord>("rule_sets");

    /// <summary>Runs <paramref name="write"/> as one LiteDB transaction: all of it is durable, or none of it.</summary>
    public T InTransaction<T>(Func<T> write)
    {
        lock (WriteLock)
        {
            Database.BeginTrans();
            try
            {
                var result = write();
                Database.Commit();
                return result;
            }
            catch
            {
                Database.Rollback();
                throw;
            }
        }
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
    }

    public void Dispose() => Database.Dispose();
}
