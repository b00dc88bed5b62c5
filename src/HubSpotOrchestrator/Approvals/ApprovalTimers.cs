using System.Globalization;
using Hangfire;
using HubSpotOrchestrator.Audit;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// Reminders, escalation and expiry: scheduled as Hangfire jobs (ids only) when a stage opens. Each job re-checks
/// the approval first, so one that fires after a decision (or twice) does nothing.
/// </summary>
internal sealed class ApprovalTimers(
    IApprovalStore store,
    ApprovalStateMachine machine,
    IEnumerable<IApprovalListener> listeners,
    IBackgroundJobClient jobs,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<ApprovalTimers> logger)
{
    private const int MaxCasAttempts = 50;

    /// <summary>A stage opened (or was escalated): schedules its reminders and expiry and tells the listeners.</summary>
    public void StageOpened(Approval approval, int index, bool escalated)
    {
        var stage = approval.Stages[index];
        var now = clock.GetUtcNow().UtcDateTime;
        var untilDue = (stage.DueAt ?? now) - now;
        if (!escalated && stage.ReminderEvery is { } every)
        {
            for (var n = 1; n <= stage.Reminders && every * n < untilDue; n++)
            {
                var reminder = n;
                jobs.Schedule<ApprovalTimers>(t => t.RemindAsync(approval.Id, index, reminder), every * n);
            }
        }

        jobs.Schedule<ApprovalTimers>(t => t.ExpireAsync(approval.Id, index, escalated), untilDue);
        foreach (var listener in listeners)
        {
            listener.StageOpened(approval, index, escalated);
        }
    }

    public Task RemindAsync(string approvalId, int stageIndex, int reminder)
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
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

            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", approval.CorrelationId);
            audit.Append(AuditActors.System, "approval.reminded", "approval:" + approvalId, $"reminder {reminder}", clock.GetUtcNow().UtcDateTime, approval.CorrelationId);
            var decided = approval.Decisions.Where(d => d.Stage == stageIndex).Select(d => d.OnBehalfOf ?? d.By).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var waitingFor = stage.Approvers.Where(a => !decided.Contains(a)).ToList();
            logger.LogInformation("Approval {ApprovalId} stage {Stage}: reminder {Reminder} to {Count} approver(s)", approvalId, stageIndex, reminder, waitingFor.Count);
            foreach (var listener in listeners)
            {
                listener.ReminderDue(approval, stageIndex, reminder, waitingFor);
            }

            return Task.CompletedTask;
        }

        return Task.CompletedTask;
    }

    public Task ExpireAsync(string approvalId, int stageIndex, bool escalatedPhase)
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
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
            var transition = machine.Expire(approval, stage, now);
            if (!store.TryUpdate(approval, expected))
            {
                continue;
            }

            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", approval.CorrelationId);
            audit.Append(AuditActors.System, transition.Escalated ? "approval.escalated" : "approval.expired", "approval:" + approvalId, transition.Action, now, approval.CorrelationId,
                details: new Dictionary<string, string> { ["stage"] = stageIndex.ToString(CultureInfo.InvariantCulture) });
            logger.LogInformation("Approval {ApprovalId} stage {Stage}: {Action}", approvalId, stageIndex, transition.Action);
            if (transition.Escalated)
            {
                StageOpened(approval, stageIndex, escalated: true);
            }
            else if (transition.OpenedStage is { } next)
            {
                StageOpened(approval, next, escalated: false);
            }

            if (!approval.IsOpen)
            {
                foreach (var listener in listeners)
                {
                    listener.Closed(approval);
                }
            }

            return Task.CompletedTask;
        }

        return Task.CompletedTask;
    }
}
