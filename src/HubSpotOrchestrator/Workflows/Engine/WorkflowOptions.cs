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
}
