using System.Collections;
using System.Reflection;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// LiteDB 5.0.21 gives every transaction a finalizer that discards its dirty pages; after a failed commit or rollback
/// (disk full, read-only file) that finalizer fails an internal check ("discarded page must be writable") on the GC's
/// finalizer thread, and an exception there ends the process. Before a failed file is closed, its open transactions
/// are taken off finalization: their memory is simply dropped with the closed engine. Reached through LiteDB's
/// private fields (LiteDatabase._engine → LiteEngine._monitor → TransactionMonitor._transactions/_slot), checked by
/// the storage fault tests; if a LiteDB upgrade renames them this logs a warning and does nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA1816", Justification = "Suppresses the finalizers of LiteDB's own abandoned transactions, which crash the process; see the summary.")]
internal static class LiteTransactions
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    public static void Forget(LiteDatabase database, ILogger logger)
    {
        try
        {
            var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(database);
            var monitor = engine?.GetType().GetField("_monitor", Private)?.GetValue(engine);
            if (monitor is null)
            {
                logger.LogWarning("LiteDB's transaction monitor was not found; open transactions keep their finalizers");
                return;
            }

            if (monitor.GetType().GetField("_transactions", Private)?.GetValue(monitor) is IDictionary transactions)
            {
                foreach (var transaction in transactions.Values)
                {
                    GC.SuppressFinalize(transaction!);
                }
            }

            var slot = monitor.GetType().GetField("_slot", Private)?.GetValue(monitor);
            if (slot?.GetType().GetProperty("Value")?.GetValue(slot) is { } current)
            {
                GC.SuppressFinalize(current);
            }
        }
        #pragma warning disable CA1031 // best effort on a file that already failed
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            logger.LogWarning("Could not take LiteDB's failed transactions off finalization: {Error}", ex.Message);
        }
    }
}
