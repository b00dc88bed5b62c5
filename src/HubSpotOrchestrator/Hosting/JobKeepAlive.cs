using System.Collections.Concurrent;
using System.Globalization;
using Hangfire;
using Hangfire.Server;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Hosting;

/// <summary>
/// Keeps the jobs this process is performing invisible to other workers. Hangfire.Storage.SQLite stamps a fetched job's
/// queue entry with the fetch time and hands the job to any worker once that is older than
/// <see cref="JobsOptions.InvisibilityTimeout"/>: that is how a dead process's jobs are taken back, but it would also hand
/// a job that merely runs long (a batch of runs paced by HubSpot's rate limit) to a second worker. So, as a server
/// filter, this tracks the jobs being performed here, and every quarter of the timeout sets their fetch time to now.
/// A process that dies stops refreshing, and its jobs are fetched again within the timeout.
/// </summary>
/// <remarks>
/// The package has no keep-alive of its own (0.4.3: only its distributed locks have a heartbeat). The fetch time is on
/// the machine clock (the package compares it with <see cref="DateTime.UtcNow"/>), so this timer is too.
/// </remarks>
internal sealed class JobKeepAlive(JobStorage storage, IOptions<JobsOptions> options, ILogger<JobKeepAlive> logger) : BackgroundService, IServerFilter
{
    private readonly ConcurrentDictionary<int, byte> _performing = new();

    /// <summary>Jobs being performed by this process now.</summary>
    public IReadOnlyCollection<int> Performing => [.. _performing.Keys];

    public void OnPerforming(PerformingContext context)
    {
        if (IdOf(context) is { } id)
        {
            _performing.TryAdd(id, 0);
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (IdOf(context) is { } id)
        {
            _performing.TryRemove(id, out _);
        }
    }

    /// <summary>Sets the fetch time of the jobs performed here to now; returns how many queue entries it refreshed.</summary>
    public int Refresh()
    {
        var ids = Performing;
        if (ids.Count == 0 || storage is not SQLiteStorage sqlite)
        {
            return 0;
        }

        // A job waiting in its queue has FetchedAt = DateTime.MinValue; only fetched entries are refreshed.
        var placeholders = string.Join(",", ids.Select(_ => "?"));
        var arguments = new List<object> { DateTime.UtcNow, DateTime.MinValue };
        arguments.AddRange(ids.Cast<object>());
        using var db = sqlite.CreateAndOpenConnection();
        return db.Database.Execute($"UPDATE JobQueue SET FetchedAt = ? WHERE FetchedAt > ? AND JobId IN ({placeholders})", [.. arguments]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.InvisibilityTimeout / 4;
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Refresh();
                }
                #pragma warning disable CA1031 // a failed refresh is retried at the next tick, with three quarters of the timeout left
                catch (Exception ex)
                #pragma warning restore CA1031
                {
                    logger.LogWarning(ex, "Could not keep {JobCount} running jobs fetched; trying again in {Interval}", _performing.Count, every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private int? IdOf(PerformContext context) =>
        ReferenceEquals(context.Storage, storage) && int.TryParse(context.BackgroundJob.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
