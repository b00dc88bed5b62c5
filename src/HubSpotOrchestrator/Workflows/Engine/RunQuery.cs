namespace HubSpotOrchestrator.Workflows.Engine;

public sealed record RunQuery(
    RunStatus? Status = null,
    string? Workflow = null,
    string? SubjectType = null,
    long? SubjectId = null,
    DateTime? From = null,
    DateTime? To = null,
    int Page = 1,
    int PageSize = 50);
