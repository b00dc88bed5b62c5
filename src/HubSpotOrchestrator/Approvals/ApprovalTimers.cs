using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// Scheduled jobs for reminders, escalation and expiry. Each re-checks the approval first, so one that fires
/// after a decision (or twice) does nothing.
/// </summary>
internal sealed class ApprovalTimers(IApprovalStore store, ApprovalService approvals, PromptDispatcher prompts, IAuditLog audit, TimeProvider clock, ILogger<ApprovalTimers> logger)
{
    public Task RemindAsync(string approvalId, int stageIndex, int reminder)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var approval = store.Get(approvalId);
            if (approval is null || !approval.IsOpen || approval.CurrentStage != stageIndex)
            {
                return Task.CompletedTask;
            }

            var stage = approval.Stages[stageIndex];
            if (stage.Escalated || stage.RemindersSent >= reminder)
            {
                return Task.CompletedTask;
            }

            var expected = approval.Version;
            stage.RemindersSent = reminder;
            if (!store.TryUpdate(approval, expected))
            {
                continue;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            audit.Append(RunLifecycle.System, "approval.reminded", "approval:" + approvalId, $"reminder {reminder}", now, approval.CorrelationId);
            var decided = approval.Decisions.Where(d => d.Stage == stageIndex).Select(d => d.OnBehalfOf ?? d.By).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var approver in stage.Approvers.Where(a => !decided.Contains(a)))
            {
                prompts.Raise(new Prompt
                {
                    Id = $"{approvalId}:{stageIndex}:reminder{reminder}:{approver}",
                    Kind = PromptKind.Reminder,
                    RecipientId = approver,
                    ApprovalId = approvalId,
                    RunId = approval.RunId,
                    CorrelationId = approval.CorrelationId,
                    Title = $"Reminder {reminder}: approval needed for {approval.DealName}",
                    Text = $"Still waiting for {string.Join(" or ", stage.Roles)}; due {stage.DueAt:u}.",
                });
            }

            return Task.CompletedTask;
        }

        return Task.CompletedTask;
    }

    public Task ExpireAsync(string approvalId, int stageIndex, bool escalatedPhase)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var approval = store.Get(approvalId);
            var now = clock.GetUtcNow().UtcDateTime;
            if (approval is null || !approval.IsOpen || approval.CurrentStage != stageIndex)
            {
                return Task.CompletedTask;
            }

            var stage = approval.Stages[stageIndex];
            if (stage.Escalated != escalatedPhase || stage.DueAt > now)
            {
                return Task.CompletedTask;
            }

            var expected = approval.Version;
            string action;
            var escalate = stage.OnExpiry == ExpiryOutcome.Escalate && !stage.Escalated;
            int? opened = null;
            if (escalate)
            {
                stage.Escalated = true;
                stage.OriginalRoles = stage.Roles;
                stage.Roles = [stage.EscalateTo!];
                stage.DueAt = now + stage.Due;
                stage.Approvers = [.. approvals.EligibleApprovers(approval, stage.Roles)];
                action = "escalated to " + stage.EscalateTo;
            }
            else if (stage.OnExpiry == ExpiryOutcome.Approve)
            {
                approval.Decisions.Add(new ApprovalDecision { Stage = stageIndex, Slot = "any", By = RunLifecycle.System, Verb = "approve-on-expiry", Channel = "timer", At = now });
                opened = approvals.CompleteStage(approval, stage, now);
                action = "approved on expiry by policy";
            }
            else
            {
                stage.Status = StageStatus.Expired;
                stage.DecidedAt = now;
                approval.Status = ApprovalStatus.Expired;
                approval.DecidedAt = now;
                approval.Outcome = (stage.Escalated ? "expired after escalation" : "expired") + ": rejected by policy";
                action = approval.Outcome;
            }

            if (!store.TryUpdate(approval, expected))
            {
                continue;
            }

            audit.Append(RunLifecycle.System, escalate ? "approval.escalated" : "approval.expired", "approval:" + approvalId, action, now, approval.CorrelationId,
                details: new Dictionary<string, string> { ["stage"] = stageIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            logger.LogInformation("Approval {ApprovalId} stage {Stage}: {Action}", approvalId, stageIndex, action);
            if (escalate)
            {
                approvals.AfterStageOpened(approval, stageIndex, escalated: true);
            }
            else if (opened is { } next)
            {
                approvals.AfterStageOpened(approval, next);
            }

            if (!approval.IsOpen)
            {
                approvals.Closed(approval);
            }

            return Task.CompletedTask;
        }

        return Task.CompletedTask;
    }
}
