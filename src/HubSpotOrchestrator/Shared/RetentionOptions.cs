using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Shared;

/// <summary>
/// How long finished work is kept in the embedded store; the retention job removes what is older, so the data file
/// stays bounded under steady load (LiteDB reuses the freed pages). Approvals and the audit log are never removed.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Routed or ignored webhook events (and quarantined ones). HubSpot redelivers for at most 3 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Succeeded or cancelled runs with their steps and resolved exceptions.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan FinishedRuns { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Delivered prompts whose approval is decided (or that belong to no approval).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan DeliveredPrompts { get; set; } = TimeSpan.FromDays(30);

    /// <summary>When the retention job runs (Hangfire cron, UTC).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Cron { get; set; } = "7 * * * *";

    /// <summary>After a run that removed at least this many documents, the file is rebuilt to give the space back to the disk (0: never).</summary>
    [Range(0, int.MaxValue)]
    public int CompactAfter { get; set; } = 100_000;
}
