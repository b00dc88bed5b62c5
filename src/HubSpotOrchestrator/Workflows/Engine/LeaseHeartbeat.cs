namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Keeps a run's lease while an executor works on it: renews it every third of <see cref="WorkflowOptions.LeaseDuration"/>,
/// so a long step is never taken over, while a dead worker's lease runs out within one lease duration. When a renewal
/// finds the lease gone (this process stalled past the lease and another worker took the run over), <see cref="Token"/>
/// is cancelled and <see cref="Lost"/> set, so this execution stops instead of working on beside the new holder.
/// </summary>
/// <remarks>
/// On the service's <see cref="TimeProvider"/>, like the lease times it writes. Ticks that fall due while a renewal is
/// still being written are coalesced (<see cref="PeriodicTimer"/>), so a clock that jumps renews once, not once per period.
/// </remarks>
internal sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    public LeaseHeartbeat(IRunEngineStore store, string runId, string owner, TimeSpan duration, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _timer = new PeriodicTimer(duration / 3, clock);
        _loop = RenewAsync(store, runId, owner, duration, clock, logger);
    }

    /// <summary>Cancelled when the job is cancelled or the lease is lost.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Another worker holds the run now.</summary>
    public bool Lost { get; private set; }

    public async ValueTask DisposeAsync()
    {
        // Disposing the timer ends the loop; waiting for it means no renewal is written after the lease is released.
        _timer.Dispose();
        await _loop;
        _cancel.Dispose();
    }

    private async Task RenewAsync(IRunEngineStore store, string runId, string owner, TimeSpan duration, TimeProvider clock, ILogger logger)
    {
        while (await _timer.WaitForNextTickAsync())
        {
            try
            {
                if (!store.RenewLease(runId, owner, clock.GetUtcNow().UtcDateTime, duration))
                {
                    Lost = true;
                    logger.LogWarning("Run {RunId}: lease {Owner} is no longer held (another worker took the run over after it ran out); this execution stops", runId, owner);
                    await _cancel.CancelAsync();
                    return;
                }
            }
            #pragma warning disable CA1031 // a failed renewal is retried at the next tick; the lease still has two thirds of its time
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Run {RunId}: could not renew lease {Owner}; trying again in {Interval}", runId, owner, duration / 3);
            }
        }
    }
}
