namespace HubSpotOrchestrator.Workflows.Engine;

public sealed class WorkflowControl
{
    /// <summary>The workflow name.</summary>
    public string Id { get; set; } = "";
    public bool Paused { get; set; }
    public string? ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
}
