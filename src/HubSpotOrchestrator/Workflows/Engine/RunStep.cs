namespace HubSpotOrchestrator.Workflows.Engine;

public enum StepStatus
{
    Pending,
    Running,
    Waiting,
    Succeeded,
    Skipped,
    Failed,
}

/// <summary>One step of a run: its attempts, its checkpointed output, its last error. Id is "{runId}:{step}".</summary>
public sealed class RunStep
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    public string Name { get; set; } = "";
    public int Index { get; set; }
    public StepStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    public string? SkipReason { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
