using Hangfire;
using HubSpotOrchestrator.Approvals.Directory;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// Approvals: opened from a policy snapshot, decided compare-and-set (one decision per slot), authorized at
/// the moment of the decision against the current directory, with separation of duties and delegation.
/// </summary>
internal sealed class ApprovalService(
    IApprovalStore store,
    IPeopleDirectory directory,
    IAuditLog audit,
    PromptDispatcher prompts,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    ILogger<ApprovalService> logger)
{
    public static string IdForRun(string runId) => "apr_" + runId[4..];

    /// <summary>Creates the approval for a run (once) and opens its first stage; repeating the call is harmless.</summary>
    public Approval Open(Run run, PolicyEvaluation policy, string dealName, string? companyName, string? amount, string? ownerPersonId, string? requesterPersonId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var approval = new Approval
        {
            Id = IdForRun(run.Id),
            RunId = run.Id,
            CorrelationId = run.CorrelationId,
            PortalId = run.PortalId,
            DealId = run.SubjectId,
            DealName = dealName,
            CompanyName = companyName,
            Amount = amount,
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
            OwnerId = ownerPersonId,
            RequesterId = requesterPersonId,
            TriggeredBy = run.TriggeredBy,
            CreatedAt = now,
            DecidedAt = policy.Stages.Count == 0 ? now : null,
            Outcome = policy.Stages.Count == 0 ? "auto-approved: no policy rule requires an approval" : null,
        };
        if (approval.Stages.Count > 0)
        {
            OpenStage(approval, 0, now);
        }

        var stored = store.GetOrCreate(approval);
        if (ReferenceEquals(stored, approval))
        {
            audit.Append(RunLifecycle.System, approval.Status == ApprovalStatus.AutoApproved ? "approval.auto-approved" : "approval.opened",
                "approval:" + approval.Id, approval.Status.ToString(), now, approval.CorrelationId,
                details: new Dictionary<string, string>
                {
                    ["run"] = run.Id,
                    ["ruleSet"] = policy.RuleSetVersion,
                    ["firedRules"] = string.Join(",", policy.FiredRules),
                    ["stages"] = string.Join(" → ", policy.Stages.Select(s => $"{string.Join("+", s.Roles)} ({s.Mode})")),
                });
        }

        if (stored.IsOpen)
        {
            AfterStageOpened(stored, stored.CurrentStage);
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

        for (var attempt = 0; attempt < 50; attempt++)
        {
            var approval = store.Get(approvalId);
            if (approval is null)
            {
                return new DecisionOutcome(DecisionOutcomeKind.NotFound, $"No approval with id '{approvalId}'.", null);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var refusal = Authorize(approval, actorId, now, out var actor, out var principal, out var slot);
            if (refusal is not null)
            {
                AuditRefusal(approval, actorId, verb, channel, refusal, now);
                return refusal;
            }

            var stage = approval.Stages[approval.CurrentStage];
            var decision = new ApprovalDecision
            {
                Stage = stage.Index, Slot = slot!, By = actor!.Id, OnBehalfOf = principal!.Id == actor.Id ? null : principal.Id,
                Verb = verb, Comment = comment, Channel = channel, At = now,
            };
            var expected = approval.Version;
            var opened = Apply(approval, decision, actor, now);
            if (!store.TryUpdate(approval, expected))
            {
                continue;
            }

            audit.Append(actor.Id, "approval." + verb, "approval:" + approval.Id, "recorded", now, approval.CorrelationId, channel, decision.OnBehalfOf,
                new Dictionary<string, string> { ["stage"] = stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["comment"] = comment ?? "" });
            logger.LogInformation("Approval {ApprovalId}: {Verb} by {Actor} (stage {Stage})", approval.Id, verb, actor.Id, stage.Index);
            if (opened is { } next)
            {
                AfterStageOpened(approval, next);
            }

            if (!approval.IsOpen)
            {
                Closed(approval);
            }

            return new DecisionOutcome(DecisionOutcomeKind.Recorded, $"{Verb(verb)} by {actor.Name}.", approval, decision);
        }

        throw new InvalidOperationException($"Approval {approvalId} kept changing; decision not recorded.");
    }

    private DecisionOutcome? Authorize(Approval approval, string actorId, DateTime now, out Person? actor, out Person? principal, out string? slot)
    {
        actor = null;
        principal = null;
        slot = null;
        if (!approval.IsOpen)
        {
            var last = approval.Decisions.LastOrDefault();
            return approval.Status is ApprovalStatus.Approved or ApprovalStatus.Rejected && last is not null
                ? new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided, $"Already {approval.Status.ToString().ToLowerInvariant()} by {NameOf(last.By)} at {last.At:u}.", approval)
                : new DecisionOutcome(DecisionOutcomeKind.Closed, $"This approval is {approval.Status.ToString().ToLowerInvariant()}" + (approval.Outcome is null ? "." : $": {approval.Outcome}."), approval);
        }

        var stage = approval.Stages[approval.CurrentStage];
        if (stage.DueAt is { } due && now > due)
        {
            return new DecisionOutcome(DecisionOutcomeKind.Closed, $"This approval stage expired at {due:u}.", approval);
        }

        actor = directory.Find(actorId);
        if (actor is null || !actor.Active)
        {
            return new DecisionOutcome(DecisionOutcomeKind.NotAllowed, $"'{actorId}' is not an active person in the directory.", approval);
        }

        if (IsConflicted(approval, actor.Id, out var conflict))
        {
            return new DecisionOutcome(DecisionOutcomeKind.NotAllowed, $"Separation of duties: {actor.Name} {conflict} and cannot approve it.", approval);
        }

        var stageDecisions = approval.Decisions.Where(d => d.Stage == stage.Index).ToList();
        foreach (var candidate in directory.ActingAs(actor, new DateTimeOffset(now, TimeSpan.Zero)))
        {
            // Authorization at click time: the role must be held now, not when the card was sent.
            if (!candidate.Roles.Any(r => stage.Roles.Contains(r, StringComparer.OrdinalIgnoreCase)) || IsConflicted(approval, candidate.Id, out _))
            {
                continue;
            }

            var candidateSlot = stage.Mode == ApprovalMode.Any ? "any" : candidate.Id;
            if (stage.Mode == ApprovalMode.All && !stage.Approvers.Contains(candidate.Id, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (stageDecisions.FirstOrDefault(d => d.Slot == candidateSlot) is { } taken)
            {
                if (candidate.Id == actor.Id || stage.Mode == ApprovalMode.Any)
                {
                    return new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided, $"Already decided ({taken.Verb}) by {NameOf(taken.By)} at {taken.At:u}.", approval);
                }

                continue;
            }

            principal = candidate;
            slot = candidateSlot;
            return null;
        }

        var clicker = actor.Id;
        if (approval.Decisions.LastOrDefault(d => d.By == clicker && d.Stage < stage.Index) is { } earlier)
        {
            // A second click on an earlier stage's card: say what happened rather than "not allowed".
            return new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided,
                $"Already decided ({earlier.Verb}) by {actor.Name} at {earlier.At:u}; the approval now waits for {string.Join(" or ", stage.Roles)}.", approval);
        }

        return new DecisionOutcome(DecisionOutcomeKind.NotAllowed,
            $"{actor.Name} may not decide this stage: it needs {string.Join(" or ", stage.Roles)}" + (stage.Mode == ApprovalMode.All ? $" from {string.Join(", ", stage.Approvers)}" : "") + ".", approval);
    }

    /// <summary>Applies a decision in memory; returns the index of a stage it opened, if any.</summary>
    private int? Apply(Approval approval, ApprovalDecision decision, Person actor, DateTime now)
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

    internal int? CompleteStage(Approval approval, ApprovalStage stage, DateTime now)
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

    internal void OpenStage(Approval approval, int index, DateTime now)
    {
        var stage = approval.Stages[index];
        stage.Status = StageStatus.Open;
        stage.OpenedAt = now;
        stage.DueAt = now + stage.Due;
        stage.Approvers = [.. EligibleApprovers(approval, stage.Roles)];
    }

    internal IEnumerable<string> EligibleApprovers(Approval approval, IEnumerable<string> roles) =>
        roles.SelectMany(directory.WithRole).Where(p => !IsConflicted(approval, p.Id, out _)).Select(p => p.Id).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Schedules reminders and expiry for a newly opened stage and prompts its approvers.</summary>
    internal void AfterStageOpened(Approval approval, int index, bool escalated = false)
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
        foreach (var approver in stage.Approvers)
        {
            prompts.Raise(new Prompt
            {
                Id = $"{approval.Id}:{index}:{(escalated ? "escalated" : "request")}:{approver}",
                Kind = escalated ? PromptKind.Escalated : PromptKind.ApprovalRequest,
                RecipientId = approver,
                ApprovalId = approval.Id,
                RunId = approval.RunId,
                CorrelationId = approval.CorrelationId,
                Title = $"Approval needed: {approval.DealName}",
                Text = $"{stage.Rule}: {string.Join(" or ", stage.Roles)} approval for {approval.DealName}" + (approval.Amount is null ? "" : $" ({approval.Amount})") + $", due {stage.DueAt:u}.",
            });
        }
    }

    /// <summary>The approval reached an outcome: tell the people involved and let the run continue.</summary>
    internal void Closed(Approval approval)
    {
        foreach (var person in approval.Stages.SelectMany(s => s.Approvers).Append(approval.RequesterId).Append(approval.OwnerId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            prompts.Raise(new Prompt
            {
                Id = $"{approval.Id}:decided:{person}",
                Kind = PromptKind.ApprovalDecided,
                RecipientId = person,
                ApprovalId = approval.Id,
                RunId = approval.RunId,
                CorrelationId = approval.CorrelationId,
                Title = $"{approval.DealName}: {approval.Status}",
                Text = approval.Outcome ?? approval.Status.ToString(),
            });
        }

        jobs.Enqueue<RunExecutor>(x => x.ResumeAsync(approval.RunId, "approval:" + approval.Id, CancellationToken.None));
    }

    /// <summary>Withdraws an open approval (its run was cancelled or superseded); later clicks get the final state.</summary>
    public void Withdraw(string approvalId, ApprovalStatus status, string actor, string reason)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var approval = store.Get(approvalId);
            if (approval is null || !approval.IsOpen)
            {
                return;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var expected = approval.Version;
            approval.Status = status;
            approval.Outcome = reason;
            approval.DecidedAt = now;
            if (status == ApprovalStatus.Superseded)
            {
                approval.SupersededBy = reason;
            }

            if (store.TryUpdate(approval, expected))
            {
                audit.Append(actor, "approval." + status.ToString().ToLowerInvariant(), "approval:" + approval.Id, status.ToString(), now, approval.CorrelationId,
                    details: new Dictionary<string, string> { ["reason"] = reason });
                return;
            }
        }
    }

    private static bool IsConflicted(Approval approval, string personId, out string why)
    {
        why = "";
        if (approval.OwnerId is not null && string.Equals(approval.OwnerId, personId, StringComparison.OrdinalIgnoreCase))
        {
            why = "owns the deal";
            return true;
        }

        if (approval.RequesterId is not null && string.Equals(approval.RequesterId, personId, StringComparison.OrdinalIgnoreCase))
        {
            why = "made the change that requested this approval";
            return true;
        }

        return false;
    }

    private void AuditRefusal(Approval approval, string actorId, string verb, string channel, DecisionOutcome refusal, DateTime now) =>
        audit.Append(actorId, "approval." + verb + ".refused", "approval:" + approval.Id, refusal.Kind.ToString(), now, approval.CorrelationId, channel,
            details: new Dictionary<string, string> { ["reason"] = refusal.Message });

    private string NameOf(string personId) => directory.Find(personId)?.Name ?? personId;

    private static string Verb(string verb) => verb == "approve" ? "Approved" : "Rejected";
}
