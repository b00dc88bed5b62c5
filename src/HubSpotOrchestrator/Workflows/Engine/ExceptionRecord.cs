namespace HubSpotOrchestrator.Workflows.Engine;

public enum ExceptionStatus
{
    Open,
    Resolved,
}

/// <summary>A step that failed for good, or a data-quality violation: what failed, why, and the fixes on offer.</summary>
public sealed class ExceptionRecord
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    public string Workflow { get; set; } = "";
    public string Step { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Error { get; set; } = "";
    public string? System { get; set; }
    public string? SuggestedFix { get; set; }
    public List<string> Fixes { get; set; } = [];
    public string? MissingValue { get; set; }
    public ExceptionStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Resolution { get; set; }
}
