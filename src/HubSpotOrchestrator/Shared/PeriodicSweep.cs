namespace HubSpotOrchestrator.Shared;

/// <summary>
/// A sweep that runs in this process: once while the service starts (<see cref="Recover"/>: what a previous process
/// left in flight, whatever its age), then every <see cref="Interval"/> (<see cref="SweepAsync"/>: what is overdue).
/// A timer, not a Hangfire recurring job: cron cannot go below a minute, and a job every few seconds would fill the job
/// store's history. Sweeps are idempotent (they only hand work on again), so every node may run its own.
/// </summary>
/// <remarks>
/// The start-up pass runs inside <see cref="StartAsync"/>, so it is done before the host reports started. If it fails
/// (the store is not readable yet) it is logged and retried at the next tick instead of the periodic sweep. A failed
/// sweep is logged and the next tick tries again.
/// </remarks>
internal abstract class PeriodicSweep : BackgroundService
{
    private bool _recovered;

    protected PeriodicSweep(TimeProvider clock, ILogger logger)
    {
        Clock = clock;
        Logger = logger;
    }

    protected TimeProvider Clock { get; }

    protected ILogger Logger { get; }

    /// <summary>Time between two sweeps.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The start-up pass: hands on everything a previous process left in flight. Returns how much it handed on.</summary>
    public abstract int Recover();

    /// <summary>One periodic sweep: hands on what is overdue. Returns how much it handed on.</summary>
    public abstract Task<int> SweepAsync();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        TryRecover();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_recovered)
                {
                    TryRecover();
                    continue;
                }

                try
                {
                    await SweepAsync();
                }
                #pragma warning disable CA1031 // a sweep must outlive a failed pass; the next tick tries again
                catch (Exception ex)
                #pragma warning restore CA1031
                {
                    Logger.LogError(ex, "{Sweep} failed; trying again in {Interval}", GetType().Name, Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void TryRecover()
    {
        try
        {
            Recover();
            _recovered = true;
        }
        #pragma warning disable CA1031 // the service must start even if the start-up pass cannot run yet; the next tick retries it
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            Logger.LogError(ex, "{Sweep} could not hand on the work left in flight at start; trying again in {Interval}", GetType().Name, Interval);
        }
    }
}
