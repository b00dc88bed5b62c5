using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Workflows.Engine;

public sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>Attempts of one step before a transient failure becomes an Exception.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a worker's hold on a run lasts. The executor renews it every third of this while a step runs, so only a
    /// dead (or stalled) worker's lease runs out, and the run sweeper then takes the run over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most runs one Hangfire job executes (in parallel, see <see cref="Parallelism"/>).</summary>
    [Range(1, 1000)]
    public int RunsPerJob { get; set; } = 100;

    /// <summary>Runs of one batch executed at the same time.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 16;

    /// <summary>
    /// A Pending run without progress for this long is started again by the run sweeper; a run the sweeper handed on
    /// is not handed on again before this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan RestartPendingAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the run sweeper looks for runs whose lease ran out (it also runs once at start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// This process's name in run leases (the machine name by default). A lease of this node held by another process is
    /// an earlier process's, taken over at start without waiting for it to run out; processes that share a database on
    /// one machine must therefore have different names.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "Workflows:NodeName may contain only letters, digits, '.', '_' and '-' (at most 100).")]
    public string? NodeName { get; set; }
}
