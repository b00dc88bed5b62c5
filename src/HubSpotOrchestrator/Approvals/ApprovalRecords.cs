using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Approvals;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
    Superseded,
    Cancelled,
    AutoApproved,
}

public enum ApprovalMode
{
    /// <summary>Any one person holding one of the roles decides the stage.</summary>
    Any,

    /// <summary>Every approver resolved when the stage opened must approve.</summary>
    All,
}

public enum ExpiryOutcome
{
    Reject,
    Escalate,
    Approve,
}

public enum StageStatus
{
    Waiting,
    Open,
    Approved,
    Rejected,
    Expired,
}

/// <summary>One approval stage as the policy defined it, plus its progress.</summary>
public sealed class ApprovalStage
{
    public int Index { get; set; }
    public string Rule { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public ApprovalMode Mode { get; set; }
    public TimeSpan Due { get; set; }
    public TimeSpan? ReminderEvery { get; set; }
    public int Reminders { get; set; }
    public string? EscalateTo { get; set; }
    public ExpiryOutcome OnExpiry { get; set; }
    public StageStatus Status { get; set; }
    public List<string> Approvers { get; set; } = [];
    public DateTime? OpenedAt { get; set; }
    public DateTime? DueAt { get; set; }
    public int RemindersSent { get; set; }
    public bool Escalated { get; set; }

    /// <summary>The roles the stage had before it escalated.</summary>
    public List<string> OriginalRoles { get; set; } = [];
    public DateTime? DecidedAt { get; set; }
}

public sealed class ApprovalDecision
{
    public int Stage { get; set; }

    /// <summary>"any" for an any-one stage, else the approver whose slot this fills.</summary>
    public string Slot { get; set; } = "";
    public string By { get; set; } = "";
    public string? OnBehalfOf { get; set; }
    public string Verb { get; set; } = "";
    public string? Comment { get; set; }
    public string Channel { get; set; } = "";
    public DateTime At { get; set; }
}

/// <summary>What the policy saw and decided, kept with the approval so it can be explained later.</summary>
public sealed class PolicySnapshot
{
    public string RuleSetVersion { get; set; } = "";
    public string DirectoryVersion { get; set; } = "";
    public List<string> FiredRules { get; set; } = [];
    public Dictionary<string, string> Input { get; set; } = [];
}

public sealed class Approval
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public long PortalId { get; set; }
    public long DealId { get; set; }
    public string DealName { get; set; } = "";
    public string? CompanyName { get; set; }
    public string? Amount { get; set; }
    public ApprovalStatus Status { get; set; }
    public int CurrentStage { get; set; }
    public List<ApprovalStage> Stages { get; set; } = [];
    public List<ApprovalDecision> Decisions { get; set; } = [];
    public PolicySnapshot Policy { get; set; } = new();

    /// <summary>Directory id of whoever made the triggering change (HubSpot sourceId userId:N), if known.</summary>
    public string? RequesterId { get; set; }

    /// <summary>Directory id of the deal owner, if known.</summary>
    public string? OwnerId { get; set; }
    public string? TriggeredBy { get; set; }
    public string? Outcome { get; set; }
    public string? SupersededBy { get; set; }

    /// <summary>Incremented on every change; updates are compare-and-set on it.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }

    public bool IsOpen => Status == ApprovalStatus.Pending;
}

public interface IApprovalStore
{
    Approval? Get(string id);

    /// <summary>Inserts unless an approval with the same id exists; returns the stored one.</summary>
    Approval GetOrCreate(Approval approval);

    /// <summary>Saves if nobody changed it since <paramref name="expectedVersion"/>; bumps the version.</summary>
    bool TryUpdate(Approval approval, int expectedVersion);

    IReadOnlyList<Approval> Query(ApprovalStatus? status, string? approver, long? dealId, int limit);
}
