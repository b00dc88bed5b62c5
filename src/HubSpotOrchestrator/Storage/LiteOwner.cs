using System.Collections;
using System.Collections.Concurrent;
using HubSpotOrchestrator.Shared;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// The one thread that touches the LiteDB engine. Concurrency contract: every engine access — reads included — runs
/// on this thread, so LiteDB never sees two threads (its thread-bound transactions and locks have a history of
/// corrupting files under concurrent use). Callers hand work to <see cref="Run{T}"/> and block until it is done.
/// Work arriving together is grouped: reads run first against committed state, then all writes share one
/// transaction and one flush (group commit). The thread survives any exception: an item's own failure goes to its
/// caller; a storage fault (disk full, file read-only or locked, a failed commit) closes the engine, fails the
/// waiting items with <see cref="StoreUnavailableException"/> (nothing of them kept) and reopens the file on a
/// later request, so the service recovers by itself when the fault clears. The file is opened and closed on this
/// thread too, never while an operation runs.
/// </summary>
internal sealed partial class LiteOwner : IDisposable
{
    private const int MaxBatch = 256;
    private static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);
    private readonly BlockingCollection<IItem> _queue = new();
    private readonly Func<LiteDatabase> _open;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private LiteDatabase? _database;
    private Exception? _fault;
    private long _reopenAt;

    /// <summary>Starts the thread and opens the file on it; <paramref name="open"/>'s exception propagates.</summary>
    public LiteOwner(Func<LiteDatabase> open, ILogger logger)
    {
        _open = open;
        _logger = logger;
        _thread = new Thread(Loop) { IsBackground = true, Name = "litedb-owner" };
        _thread.Start();
        try
        {
            Run(() =>
            {
                _database = _open();
                return 0;
            }, write: false, raw: true);
        }
        catch
        {
            _queue.CompleteAdding();
            throw;
        }
    }

    /// <summary>Bumped when state cached on the owner thread may be stale: a rollback or a reopened file.</summary>
    public long Generation { get; private set; }

    public bool OnOwnerThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>The engine; only on the owner thread, inside <see cref="Run{T}"/>.</summary>
    public LiteDatabase Database
    {
        get
        {
            if (!OnOwnerThread)
            {
                throw new InvalidOperationException("LiteDB is used only on its owner thread: wrap the access in LiteDbContext.Read or Write.");
            }

            return _database ?? throw Unavailable(_fault);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the owner thread and returns its result (inline when already there). Writes
    /// return once committed. The result must be materialised: a lazy sequence would be enumerated off the thread.
    /// </summary>
    public T Run<T>(Func<T> work, bool write) => Run(work, write, raw: false);

    private T Run<T>(Func<T> work, bool write, bool raw)
    {
        if (OnOwnerThread)
        {
            return work();
        }

        var item = new Item<T>(work, write, raw);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException ex)
        {
            throw new StoreUnavailableException("The store is closed: the service is stopping.", ex);
        }

        var result = item.Wait();
        if (result is IEnumerable and not ICollection and not string and not BsonValue)
        {
            throw new InvalidOperationException($"A store returned a lazy {result.GetType().Name} from the LiteDB owner thread; materialise it (ToList) inside Read.");
        }

        return result;
    }

    private void Loop()
    {
        var batch = new List<IItem>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            try
            {
                Process(batch);
            }
            #pragma warning disable CA1031 // the owner thread must survive anything: its callers get the failure, the file is reopened
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                _logger.LogCritical(ex, "The LiteDB owner thread met an unexpected failure; the data file is closed and will be reopened");
                Close(ex);
                batch.ForEach(item => item.Fail(Unavailable(ex)));
            }
        }

        Close(null);
    }

    private void Process(List<IItem> batch)
    {
        if (batch[0].Raw)
        {
            RunRaw(batch[0]);
            batch.RemoveAt(0);
        }

        if (!EnsureOpen())
        {
            batch.ForEach(item => item.Fail(Unavailable(_fault)));
            return;
        }

        var writes = new List<IItem>(batch.Count);
        foreach (var item in batch)
        {
            if (item.IsWrite)
            {
                writes.Add(item);
            }
            else
            {
                RunRead(item);
            }
        }

        if (writes.Count > 0)
        {
            CommitWrites(writes);
        }
    }

    private static void RunRaw(IItem item)
    {
        try
        {
            item.Run();
            item.Complete();
        }
        #pragma warning disable CA1031 // handed to the caller
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            item.Fail(ex);
        }
    }

    /// <summary>
    /// Finishes the work already handed over, then closes the file on the owner thread. False when the thread did not
    /// finish within two minutes: the file is then still open, and the caller must not let another engine open it.
    /// </summary>
    public bool Dispose()
    {
        _queue.CompleteAdding();
        if (!_thread.Join(TimeSpan.FromMinutes(2)))
        {
            _logger.LogError("The LiteDB owner thread did not finish within 2 minutes; the data file stays open until the process exits");
            return false;
        }

        _queue.Dispose();
        return true;
    }

    void IDisposable.Dispose() => Dispose();

    private interface IItem
    {
        bool IsWrite { get; }

        bool Raw { get; }

        void Run();

        void Complete();

        void Fail(Exception ex);
    }

    private sealed class Item<T>(Func<T> work, bool write, bool raw) : IItem
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public bool IsWrite => write;

        public bool Raw => raw;

        public void Run() => _result = work();

        public void Complete() => _done.TrySetResult(_result);

        public void Fail(Exception ex) => _done.TrySetException(ex);

        public T Wait() => _done.Task.GetAwaiter().GetResult();
    }
}
