using LiteDB;
using Microsoft.Extensions.Options;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// Owns the single LiteDB instance of the process through a <see cref="LiteOwner"/>: every engine access, reads
/// included, runs on one thread (see its concurrency contract). Stores wrap reads in <see cref="Read{T}"/> and
/// writes in <see cref="Write{T}"/>; the collections below throw when touched anywhere else.
/// </summary>
internal sealed class LiteDbContext : IDisposable
{
    private readonly LiteOwner _owner;
    private readonly LiteFileLock _lock;

    public LiteDbContext(IOptions<StorageOptions> options, ILogger<LiteDbContext> logger)
    {
        var storage = options.Value;
        Path = storage.DatabasePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _lock = LiteFileLock.Acquire(Path, TimeSpan.FromSeconds(15));
        try
        {
            _owner = Start(storage, logger);
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    private LiteOwner Start(StorageOptions storage, ILogger logger)
    {
        var first = true;
        return new LiteOwner(() =>
        {
            var database = Open(Path);
            try
            {
                EnsureCollections(database);
                if (first && storage.CheckOnStart)
                {
                    LiteStoreCheck.ThrowIfDamaged(database, Path);
                }
            }
            catch (LiteException ex) when (first)
            {
                database.Dispose();
                throw LiteStoreCheck.Damaged(Path, ex.Message, ex);
            }
            catch
            {
                database.Dispose();
                throw;
            }

            first = false;
            return database;
        }, logger);
    }

    /// <summary>The data file.</summary>
    public string Path { get; }

    /// <summary>Inbox indexes of earlier versions that nothing queries any more.</summary>
    public static readonly string[] InboxIndexesDropped = ["Status", "ReceivedAt", "CorrelationId"];

    /// <summary>The engine; only inside <see cref="Read{T}"/> or <see cref="Write{T}"/>.</summary>
    public LiteDatabase Database => _owner.Database;

    public ILiteCollection<InboxEvent> Inbox => Database.GetCollection<InboxEvent>("inbox");

    public ILiteCollection<InboxBatch> InboxBatches => Database.GetCollection<InboxBatch>("inbox_batches");

    public ILiteCollection<QuarantinedEvent> Quarantine => Database.GetCollection<QuarantinedEvent>("quarantine");

    public ILiteCollection<Run> Runs => Database.GetCollection<Run>("runs");

    public ILiteCollection<DealProjection> Deals => Database.GetCollection<DealProjection>("deals");

    public ILiteCollection<RuleSetRecord> RuleSets => Database.GetCollection<RuleSetRecord>("rule_sets");

    /// <summary>Runs <paramref name="read"/> on the owner thread against committed state; materialise results inside it.</summary>
    public T Read<T>(Func<T> read) => _owner.Run(read, write: false);

    /// <summary>
    /// Runs <paramref name="write"/> (reads and writes that must be atomic) on the owner thread and returns once it is
    /// committed. Writes that arrive together share one transaction and so one flush to disk (group commit): with
    /// LiteDB each commit is a synchronous flush, which otherwise caps the whole service at a few hundred commits a second.
    /// Throws <see cref="Shared.StoreUnavailableException"/> when the file cannot be written (nothing of it kept).
    /// </summary>
    public T Write<T>(Func<T> write) => _owner.Run(write, write: true);

    public void Write(Action write) => Write(() =>
    {
        write();
        return 0;
    });

    /// <summary>
    /// Runs file maintenance (checkpoint, rebuild) on the owner thread outside any transaction — reads run that way
    /// too, before a batch's writes open theirs — so LiteDB can take its exclusive lock.
    /// </summary>
    public T Maintain<T>(Func<T> maintenance) => _owner.Run(maintenance, write: false);

    /// <summary>Bumped on a rollback or a reopened file: a cache of committed state kept on the owner thread is stale when it changes.</summary>
    public long RollbackCount => _owner.Generation;

    /// <summary>Runs <paramref name="write"/> as one LiteDB transaction: all of it is durable, or none of it.</summary>
    public T InTransaction<T>(Func<T> write) => Write(write);

    /// <summary>Opens the file the way the service does (mapper settings included), for the service and the storage tools.</summary>
    public static LiteDatabase Open(string path)
    {
        // Store strings exactly as given: LiteDB's defaults would trim them and turn "" into null.
        var mapper = new BsonMapper { EnumAsInteger = false, TrimWhitespace = false, EmptyStringToNull = false };

        // Dispatch state lives in the request's InboxBatch (one small update per request, not one per event).
        mapper.Entity<InboxEvent>().Ignore(x => x.DispatchedAt).Ignore(x => x.DispatchCount);
        try
        {
            return new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper) { UtcDate = true };
        }
        catch (LiteException ex)
        {
            throw LiteStoreCheck.Damaged(path, ex.Message, ex);
        }
        catch (IOException ex)
        {
            throw new StartupProblemException(
                $"The data file {path} cannot be opened: {ex.Message} Another orchestrator process may be using the same Storage:DataPath, or the disk is full or read-only.", ex);
        }
    }

    private static void EnsureCollections(LiteDatabase database)
    {
        var inbox = database.GetCollection<InboxEvent>("inbox");
        // The inbox is written 100 documents per request, so it keeps only the index a query needs
        // (/api/events/{eventId}); the sweeper works from the open InboxBatches. Indexes of older files go.
        inbox.EnsureIndex(x => x.EventId);
        foreach (var unused in InboxIndexesDropped)
        {
            inbox.DropIndex(unused);
        }

        database.GetCollection<InboxBatch>("inbox_batches").EnsureIndex(x => x.RoutedAt);
        database.GetCollection<QuarantinedEvent>("quarantine").EnsureIndex(x => x.EventId);
        database.GetCollection<QuarantinedEvent>("quarantine").EnsureIndex(x => x.ReceivedAt);
        database.GetCollection<Run>("runs").EnsureIndex(x => x.Status);
        database.GetCollection<Run>("runs").EnsureIndex(x => x.Workflow);
        database.GetCollection<Run>("runs").EnsureIndex(x => x.SubjectId);
        database.GetCollection<Run>("runs").EnsureIndex(x => x.CreatedAt);
        database.GetCollection<Run>("runs").EnsureIndex(x => x.CorrelationId);
        database.GetCollection<RuleSetRecord>("rule_sets").EnsureIndex(x => x.Version, unique: true);

        // Every collection exists before anything runs concurrently: LiteDB 5 can fail a read with "page type must be
        // collection page" (and then refuse every later operation) when it meets a collection another thread's open
        // transaction is creating. Index names and expressions match the typed EnsureIndex calls of the stores.
        foreach (var (collection, fields) in AllCollections)
        {
            var col = database.GetCollection(collection);
            if (fields.Length == 0 && !database.CollectionExists(collection))
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

    /// <summary>Finishes the work already handed over, then closes the file (on the owner thread).</summary>
    public void Dispose()
    {
        // The lock is let go only once the owner thread has closed the file.
        if (_owner.Dispose())
        {
            _lock.Dispose();
        }
    }
}
