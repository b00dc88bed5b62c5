using HubSpotOrchestrator.Shared;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>The owner thread's work on the file: reads, group commits, and what a storage fault does.</summary>
internal sealed partial class LiteOwner
{
    private void RunRead(IItem item)
    {
        if (_database is null)
        {
            item.Fail(Unavailable(_fault));
            return;
        }

        try
        {
            item.Run();
            item.Complete();
        }
        #pragma warning disable CA1031 // handed to the caller; a storage fault also closes the file
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            if (IsStorageFault(ex))
            {
                Close(ex);
                item.Fail(Unavailable(ex));
            }
            else
            {
                item.Fail(ex);
            }
        }
    }

    private void CommitWrites(List<IItem> items)
    {
        while (items.Count > 0)
        {
            if (_database is null)
            {
                items.ForEach(item => item.Fail(Unavailable(_fault)));
                return;
            }

            _database.BeginTrans();
            var failed = -1;
            Exception? error = null;
            for (var i = 0; i < items.Count && failed < 0; i++)
            {
                try
                {
                    items[i].Run();
                }
                #pragma warning disable CA1031 // the item's failure goes to its caller
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
                    _database.Commit();
                }
                #pragma warning disable CA1031 // a failed commit: nothing of the batch is kept, every caller is told
                catch (Exception ex)
                #pragma warning restore CA1031
                {
                    Abandon(items, ex);
                    return;
                }

                items.ForEach(item => item.Complete());
                return;
            }

            if (IsStorageFault(error!) || !TryRollback())
            {
                Abandon(items, error!);
                return;
            }

            // Only the item that threw fails; the others (undone by the rollback) run again without it.
            Generation++;
            items[failed].Fail(error!);
            items.RemoveAt(failed);
        }
    }

    /// <summary>The file failed under a whole batch: undo what can be undone, close it, tell every caller.</summary>
    private void Abandon(List<IItem> items, Exception cause)
    {
        TryRollback();
        Close(cause);
        items.ForEach(item => item.Fail(Unavailable(cause)));
    }

    private bool TryRollback()
    {
        try
        {
            _database?.Rollback();
            return true;
        }
        #pragma warning disable CA1031 // a rollback that fails means the engine is unusable: the caller closes it
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            _logger.LogError(ex, "LiteDB rollback failed");
            return false;
        }
    }

    private bool EnsureOpen()
    {
        if (_database is not null)
        {
            return true;
        }

        if (Environment.TickCount64 < _reopenAt)
        {
            return false;
        }

        try
        {
            _database = _open();
            _logger.LogWarning("The data file is open again after a storage fault ({Fault})", _fault?.Message);
            _fault = null;
            return true;
        }
        #pragma warning disable CA1031 // the fault persists: requests keep getting 503 until it clears
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            _fault = ex;
            _reopenAt = Environment.TickCount64 + (long)ReopenInterval.TotalMilliseconds;
            return false;
        }
    }

    private void Close(Exception? cause)
    {
        Generation++;
        if (_database is null)
        {
            return;
        }

        if (cause is not null)
        {
            _logger.LogError("Storage fault, the data file is closed and requests answer 503 until it can be reopened: {Fault}", cause.Message);
            _fault = cause;
            _reopenAt = Environment.TickCount64 + (long)ReopenInterval.TotalMilliseconds;
        }

        if (cause is not null)
        {
            LiteTransactions.Forget(_database, _logger);
        }

        try
        {
            _database.Dispose();
        }
        #pragma warning disable CA1031 // closing a file that just failed may fail again; the handle is dropped either way
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            _logger.LogWarning("Closing the data file failed: {Error}", ex.Message);
        }

        _database = null;
    }

    private static bool IsStorageFault(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ObjectDisposedException
        || (ex is LiteException && ex.InnerException is IOException or UnauthorizedAccessException)
        || StoreUnavailableException.Find(ex) is not null;

    private static StoreUnavailableException Unavailable(Exception? cause) =>
        cause is StoreUnavailableException unavailable
            ? unavailable
            : new StoreUnavailableException(
                $"The data file cannot be used right now ({cause?.Message ?? "closed"}); nothing of this request was kept. Free disk space or make the file writable: the service reopens it by itself.",
                cause!);
}
