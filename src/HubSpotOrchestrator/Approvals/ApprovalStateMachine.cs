using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// The transitions of one approval, in memory: created from a policy, stages opened, decisions applied, escalated,
/// expired, withdrawn. It stores nothing and tells no one; <see cref="ApprovalService"/> and
/// <see cref="ApprovalTimers"/> save the result compare-and-set and then notify.
/// </summary>
internal sealed class ApprovalStateMachine(IPeopleDirectory directory)
{
    public static string IdForRun(string runId) => "apr_" + runId[4..];

    public Approval Create(ApprovalRequest request, PolicyEvaluation policy, DateTime now)
    {
        var approval = new Approval
        {
            Id = IdForRun(request.RunId),
            RunId = request.RunId,
            CorrelationId = request.CorrelationId,
            PortalId = request.PortalId,
            DealId = request.DealId,
            DealName = request.DealName,
            CompanyName = request.CompanyName,
            Amount = request.Amount,
            Status = policy.Stages.Count == 0 ? ApprovalStatus.AutoApproved : ApprovalStatus.Pending,
            Policy = new PolicySnapshot
            {
                RuleSetVersion = policy.RuleSetVersion,
                DirectoryVersion = directory.Version,
                FiredRules = [.. policy.FiredRules],
                Input = policy.Input.ToDictionary(),
            },
            Stages = [.. policy.Stages.Select((s, i) => new ApprovalStage
            {
                Index = i, Rule = s.Rule, Roles = [.. s.Roles], Mode = s.Mode, Due = s.Due, ReminderEvery = s.ReminderEvery,
                Reminders = s.Reminders, EscalateTo = s.EscalateTo, OnExpiry = s.OnExpiry, Status = StageStatus.Waiting,
            })],
            OwnerId = request.OwnerPersonId,
            RequesterId = request.RequesterPersonId,
            TriggeredBy = request.TriggeredBy,
            CreatedAt = now,
            DecidedAt = policy.Stages.Count == 0 ? now : null,
            Outcome = policy.Stages.Count == 0 ? "auto-approved: no policy rule requires an approval" : null,
        };
        if (approval.Stages.Count > 0)
        {
            OpenStage(approval, 0, now);
        }

        return approval;
    }

    /// <summary>Applies an authorized decision; returns the index of a stage it opened, if any.</summary>
    public int? Apply(Approval approval, ApprovalDecision decision, Person actor, DateTime now)
    {
        approval.Decisions.Add(decision);
        var stage = approval.Stages[approval.CurrentStage];
        if (decision.Verb == "reject")
        {
            stage.Status = StageStatus.Rejected;
            stage.DecidedAt = now;
            approval.Status = ApprovalStatus.Rejected;
            approval.DecidedAt = now;
            approval.Outcome = $"rejected by {actor.Name}" + (string.IsNullOrWhiteSpace(decision.Comment) ? "" : $": {decision.Comment}");
            return null;
        }

        var approvedSlots = approval.Decisions.Where(d => d.Stage == stage.Index && d.Verb == "approve").Select(d => d.Slot).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (stage.Mode == ApprovalMode.All && !stage.Approvers.All(approvedSlots.Contains))
        {
            return null;
        }

        return CompleteStage(approval, stage, now);
    }

    /// <summary>The open stage's due time passed with no escalation left: escalate, approve or expire as its policy says.</summary>
    public ExpiryTransition Expire(Approval approval, ApprovalStage stage, DateTime now)
    {
        if (stage.OnExpiry == ExpiryOutcome.Escalate && !stage.Escalated)
        {
            stage.Escalated = true;
            stage.OriginalRoles = stage.Roles;
            stage.Roles = [stage.EscalateTo!];
            stage.DueAt = now + stage.Due;
            stage.Approvers = [.. EligibleApprovers(approval, stage.Roles)];
            return new ExpiryTransition(true, "escalated to " + stage.EscalateTo, null);
        }

        if (stage.OnExpiry == ExpiryOutcome.Approve)
        {
            approval.Decisions.Add(new ApprovalDecision { Stage = stage.Index, Slot = "any", By = AuditActors.System, Verb = "approve-on-expiry", Channel = "timer", At = now });
            return new ExpiryTransition(false, "approved on expiry by policy", CompleteStage(approval, stage, now));
        }

        stage.Status = StageStatus.Expired;
        stage.DecidedAt = now;
        approval.Status = ApprovalStatus.Expired;
        approval.DecidedAt = now;
        approval.Outcome = (stage.Escalated ? "expired after escalation" : "expired") + ": rejected by policy";
        return new ExpiryTransition(false, approval.Outcome, null);
    }

    /// <summary>Closes an open approval without a decision (its run was cancelled or superseded).</summary>
    public static void Withdraw(Approval approval, ApprovalStatus status, string reason, DateTime now)
    {
        approval.Status = status;
        approval.Outcome = reason;
        approval.DecidedAt = now;
        if (status == ApprovalStatus.Superseded)
        {
            approval.SupersededBy = reason;
        }
    }

    public IEnumerable<string> EligibleApprovers(Approval approval, IEnumerable<string> roles) =>
        roles.SelectMany(directory.WithRole).Where(p => !SeparationOfDuties.IsConflicted(approval, p.Id, out _)).Select(p => p.Id).Distinct(StringComparer.OrdinalIgnoreCase);

    private int? CompleteStage(Approval approval, ApprovalStage stage, DateTime now)
    {
        stage.Status = StageStatus.Approved;
        stage.DecidedAt = now;
        if (approval.CurrentStage + 1 < approval.Stages.Count)
        {
            approval.CurrentStage++;
            OpenStage(approval, approval.CurrentStage, now);
            return approval.CurrentStage;
        }

        approval.Status = ApprovalStatus.Approved;
        approval.DecidedAt = now;
        approval.Outcome = "approved by " + string.Join(", ", approval.Decisions.Where(d => d.Verb.StartsWith("approve", StringComparison.Ordinal)).Select(d => NameOf(d.By)).Distinct());
        return null;
    }

    private void OpenStage(Approval approval, int index, DateTime now)
    {
        var stage = approval.Stages[index];
        stage.Status = StageStatus.Open;
        stage.OpenedAt = now;
        stage.DueAt = now + stage.Due;
        stage.Approvers = [.. EligibleApprovers(approval, stage.Roles)];
    }

    private string NameOf(string personId) => directory.Find(personId)?.Name ?? personId;
}

/// <summary>What an expiry did: escalated the stage, or approved/expired it (and which stage that opened, if any).</summary>
internal sealed record ExpiryTransition(bool Escalated, string Action, int? OpenedStage);
