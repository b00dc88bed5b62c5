using HubSpotOrchestrator.Routing;

namespace HubSpotOrchestrator.Workflows.Engine;

public enum RunStatus
{
    Pending,
    Running,
    Waiting,
    Failed,
    Succeeded,
    Cancelled,
}

public sealed class MatchedRule
{
    public string RuleName { get; set; } = "";
    public string Expression { get; set; } = "";
}

public sealed class Run
{
    public string Id { get; set; } = "";
    public string Workflow { get; set; } = "";
    public RunStatus Status { get; set; }
    public string SubjectType { get; set; } = "";
    public long SubjectId { get; set; }
    public long PortalId { get; set; }
    public string CorrelationId { get; set; } = "";
    public string EventKey { get; set; } = "";
    public string RuleSetVersion { get; set; } = "";
    public List<MatchedRule> MatchedRules { get; set; } = [];
    public Dictionary<string, string?> RoutingInput { get; set; } = [];
    public DateTime OccurredAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? ReplayOf { get; set; }
    public string? StatusReason { get; set; }

    /// <summary>Index of the next step to execute; steps before it are checkpointed.</summary>
    public int CurrentStep { get; set; }

    /// <summary>What a Waiting run waits for: "approval:{id}", "exception:{id}" or "timer".</summary>
    public string? WaitingFor { get; set; }

    /// <summary>Workflow state saved with each checkpoint (step outputs by step name, supplied values).</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    /// <summary>Who may execute the run right now: a worker holds it until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? TriggeredBy { get; set; }

    public bool IsTerminal => Status is RunStatus.Succeeded or RunStatus.Cancelled;
}
