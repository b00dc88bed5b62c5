using System.Globalization;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// Approvals: opened from a policy snapshot, decided compare-and-set (one decision per slot), authorized at the
/// moment of the decision (<see cref="ApprovalAuthorizer"/>), transitions by <see cref="ApprovalStateMachine"/>,
/// timers by <see cref="ApprovalTimers"/>; every change audited, then the listeners told.
/// </summary>
internal sealed class ApprovalService(
    IApprovalStore store,
    ApprovalStateMachine machine,
    ApprovalAuthorizer authorizer,
    ApprovalTimers timers,
    IEnumerable<IApprovalListener> listeners,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<ApprovalService> logger)
{
    private const int MaxCasAttempts = 50;

    public static string IdForRun(string runId) => ApprovalStateMachine.IdForRun(runId);

    public IEnumerable<string> EligibleApprovers(Approval approval, IEnumerable<string> roles) => machine.EligibleApprovers(approval, roles);

    /// <summary>Creates the approval for a run (once) and opens its first stage; repeating the call is harmless.</summary>
    public Approval Open(ApprovalRequest request, PolicyEvaluation policy)
    {
        using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", request.CorrelationId);
        var now = clock.GetUtcNow().UtcDateTime;
        var approval = machine.Create(request, policy, now);
        var stored = store.GetOrCreate(approval);
        if (ReferenceEquals(stored, approval))
        {
            audit.Append(AuditActors.System, approval.Status == ApprovalStatus.AutoApproved ? "approval.auto-approved" : "approval.opened",
                "approval:" + approval.Id, approval.Status.ToString(), now, approval.CorrelationId,
                details: new Dictionary<string, string>
                {
                    ["run"] = request.RunId,
                    ["ruleSet"] = policy.RuleSetVersion,
                    ["firedRules"] = string.Join(",", policy.FiredRules),
                    ["stages"] = string.Join(" → ", policy.Stages.Select(s => $"{string.Join("+", s.Roles)} ({s.Mode})")),
                });
            logger.LogInformation("Approval {ApprovalId} for run {RunId}: {Status}", approval.Id, request.RunId, approval.Status);
        }

        if (stored.IsOpen)
        {
            timers.StageOpened(stored, stored.CurrentStage, escalated: false);
        }

        return stored;
    }

    public DecisionOutcome Decide(string approvalId, string actorId, string verb, string? comment, string channel)
    {
        verb = verb.Trim().ToLowerInvariant();
        if (verb is not ("approve" or "reject"))
        {
            return new DecisionOutcome(DecisionOutcomeKind.Invalid, $"'{verb}' is not a decision; use approve or reject.", null);
        }

        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var approval = store.Get(approvalId);
            if (approval is null)
            {
                return new DecisionOutcome(DecisionOutcomeKind.NotFound, $"No approval with id '{approvalId}'.", null);
            }

            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", approval.CorrelationId);
            var now = clock.GetUtcNow().UtcDateTime;
            var refusal = authorizer.Authorize(approval, actorId, now, out var authorized);
            if (refusal is not null)
            {
                audit.Append(actorId, "approval." + verb + ".refused", "approval:" + approval.Id, refusal.Kind.ToString(), now, approval.CorrelationId, channel,
                    details: new Dictionary<string, string> { ["reason"] = refusal.Message });
                logger.LogInformation("Approval {ApprovalId}: {Verb} by {Actor} refused ({Kind})", approval.Id, verb, actorId, refusal.Kind);
                return refusal;
            }

            var (actor, principal, slot) = authorized!;
            var stage = approval.Stages[approval.CurrentStage];
            var decision = new ApprovalDecision
            {
                Stage = stage.Index, Slot = slot, By = actor.Id, OnBehalfOf = principal.Id == actor.Id ? null : principal.Id,
                Verb = verb, Comment = comment, Channel = channel, At = now,
            };
            var expected = approval.Version;
            var opened = machine.Apply(approval, decision, actor, now);
            if (!store.TryUpdate(approval, expected))
            {
                continue;
            }

            audit.Append(actor.Id, "approval." + verb, "approval:" + approval.Id, "recorded", now, approval.CorrelationId, channel, decision.OnBehalfOf,
                new Dictionary<string, string> { ["stage"] = stage.Index.ToString(CultureInfo.InvariantCulture), ["comment"] = comment ?? "" });
            logger.LogInformation("Approval {ApprovalId}: {Verb} by {Actor} (stage {Stage})", approval.Id, verb, actor.Id, stage.Index);
            if (opened is { } next)
            {
                timers.StageOpened(approval, next, escalated: false);
            }

            if (!approval.IsOpen)
            {
                Closed(approval);
            }

            return new DecisionOutcome(DecisionOutcomeKind.Recorded, $"{(verb == "approve" ? "Approved" : "Rejected")} by {actor.Name}.", approval, decision);
        }

        throw new InvalidOperationException($"Approval {approvalId} kept changing; decision not recorded.");
    }

    /// <summary>Withdraws an open approval (its run was cancelled or superseded); later clicks get the final state.</summary>
    public void Withdraw(string approvalId, ApprovalStatus status, string actor, string reason)
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var approval = store.Get(approvalId);
            if (approval is null || !approval.IsOpen)
            {
                return;
            }

            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", approval.CorrelationId);
            var now = clock.GetUtcNow().UtcDateTime;
            var expected = approval.Version;
            ApprovalStateMachine.Withdraw(approval, status, reason, now);
            if (store.TryUpdate(approval, expected))
            {
                audit.Append(actor, "approval." + status.ToString().ToLowerInvariant(), "approval:" + approval.Id, status.ToString(), now, approval.CorrelationId,
                    details: new Dictionary<string, string> { ["reason"] = reason });
                logger.LogInformation("Approval {ApprovalId} {Status}: {Reason}", approval.Id, status, reason);
                return;
            }
        }
    }

    /// <summary>Tells the requester (or owner) what became of the approval, once its workflow has acted on it.</summary>
    public void TellRequester(Approval approval, string recipientId)
    {
        foreach (var listener in listeners)
        {
            listener.OutcomeActedOn(approval, recipientId);
        }
    }

    private void Closed(Approval approval)
    {
        foreach (var listener in listeners)
        {
            listener.Closed(approval);
        }
    }
}
