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

    /// <summary>How long a worker holds a run while executing it; a crashed worker's lease runs out after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most runs one Hangfire job executes (in parallel, see <see cref="Parallelism"/>).</summary>
    [Range(1, 1000)]
    public int RunsPerJob { get; set; } = 100;

    /// <summary>Runs of one batch executed at the same time.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 16;

    /// <summary>A Pending run without progress for this long is started again by the run sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan RestartPendingAfter { get; set; } = TimeSpan.FromMinutes(2);

    [Required(AllowEmptyStrings = false)]
    public string SweepCron { get; set; } = "* * * * *";
}
