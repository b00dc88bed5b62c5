using System.Globalization;
using System.Net;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Integrations.HubSpot;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Procurement;

/// <summary>
/// Procurement Approval: load the deal, its company and owner → evaluate the policy → auto-approve or open the
/// approval and wait → write the outcome to the deal and a note → tell the requester.
/// </summary>
internal sealed class ProcurementApprovalWorkflow(
    IHubSpotCrm crm,
    ProcurementPolicy policy,
    ApprovalService approvals,
    IApprovalStore approvalStore,
    IPeopleDirectory directory,
    IAuditLog audit,
    IOptions<ProcurementOptions> options) : IWorkflow
{
    public string Name => WorkflowNames.ProcurementApproval;

    public bool NewerRunSupersedesWaiting => true;

    public IReadOnlyList<WorkflowStep> Steps =>
    [
        new("load-deal", LoadDealAsync),
        new("evaluate-policy", EvaluatePolicyAsync),
        new("approval", ApprovalAsync),
        new("write-back", WriteBackAsync),
        new("notify-requester", NotifyRequesterAsync),
    ];

    public Task OnSupersededAsync(Run run, Run newer, CancellationToken ct)
    {
        approvals.Withdraw(ApprovalService.IdForRun(run.Id), ApprovalStatus.Superseded, RunLifecycle.System,
            $"superseded by run {newer.Id}: the deal changed while the approval was pending");
        return Task.CompletedTask;
    }

    public Task OnCancelledAsync(Run run, string actor, string reason, CancellationToken ct)
    {
        approvals.Withdraw(ApprovalService.IdForRun(run.Id), ApprovalStatus.Cancelled, actor, reason);
        return Task.CompletedTask;
    }

    private async Task<StepResult> LoadDealAsync(StepContext ctx, CancellationToken ct)
    {
        var o = options.Value;
        var id = ctx.Run.SubjectId.ToString(CultureInfo.InvariantCulture);
        var deal = await crm.GetAsync("deals", id,
            ["dealname", o.AmountProperty, o.DiscountProperty, "dealstage", "pipeline", "hubspot_owner_id", o.TermMonthsProperty, o.NonStandardTermsProperty, "deal_currency_code"],
            ["companies"], ct);
        string? company = null;
        if (deal.Associations.TryGetValue("companies", out var companies) && companies.Count > 0)
        {
            company = (await crm.GetAsync("companies", companies[0], ["name", "domain"], null, ct))["name"];
        }

        HubSpotOwner? owner = null;
        if (deal["hubspot_owner_id"] is { Length: > 0 } ownerId)
        {
            try
            {
                owner = await crm.GetOwnerAsync(ownerId, ct);
            }
            catch (IntegrationException ex) when (ex.Kind == FailureKind.Permanent)
            {
                // An owner who left HubSpot does not block the approval; the deal owner check then uses the id alone.
            }
        }

        return StepResult.Completed(new DealSnapshot(
            deal.Id, deal["dealname"] ?? $"Deal {deal.Id}", deal[o.AmountProperty], deal[o.DiscountProperty], deal["dealstage"], deal["pipeline"],
            deal["hubspot_owner_id"], owner?.DisplayName, owner?.Email, company, deal[o.TermMonthsProperty], deal[o.NonStandardTermsProperty], deal["deal_currency_code"]));
    }

    private async Task<StepResult> EvaluatePolicyAsync(StepContext ctx, CancellationToken ct)
    {
        var deal = ctx.Output<DealSnapshot>("load-deal");
        var amountText = ctx.Supplied("amount") ?? deal.Amount;
        if (!decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return StepResult.Fail("DataQuality", $"Deal {deal.Id} ({deal.Name}) has no valid amount ('{amountText ?? "empty"}'); the policy cannot be evaluated.",
                $"Supply the amount, or set '{options.Value.AmountProperty}' on the deal in HubSpot and retry.", "amount");
        }

        var discountText = ctx.Supplied("discount") ?? deal.DiscountPercent;
        var discount = 0m;
        if (!string.IsNullOrWhiteSpace(discountText) && !decimal.TryParse(discountText, NumberStyles.Number, CultureInfo.InvariantCulture, out discount))
        {
            return StepResult.Fail("DataQuality", $"Deal {deal.Id} has an invalid discount '{discountText}'.",
                $"Supply the discount in percent, or fix '{options.Value.DiscountProperty}' in HubSpot and retry.", "discount");
        }

        var input = new PolicyInput
        {
            Amount = amount,
            DiscountPercent = discount,
            TermMonths = int.TryParse(deal.TermMonths, NumberStyles.None, CultureInfo.InvariantCulture, out var term) ? term : 0,
            Pipeline = deal.Pipeline ?? "",
            Stage = deal.Stage ?? "",
            OwnerId = deal.OwnerId ?? "",
            NonStandardTerms = string.Equals(deal.NonStandardTerms, "true", StringComparison.OrdinalIgnoreCase),
            CompanyName = deal.CompanyName ?? "",
            Currency = deal.Currency ?? "",
            DealName = deal.Name,
        };
        var evaluation = await policy.EvaluateAsync(input, ct);
        audit.Append(RunLifecycle.System, "policy.evaluated", "run:" + ctx.Run.Id, evaluation.Stages.Count == 0 ? "no approval needed" : $"{evaluation.Stages.Count} stage(s)",
            ctx.Clock.GetUtcNow().UtcDateTime, ctx.Run.CorrelationId,
            details: new Dictionary<string, string> { ["ruleSet"] = evaluation.RuleSetVersion, ["firedRules"] = string.Join(",", evaluation.FiredRules), ["input"] = string.Join("; ", evaluation.Input.Select(kv => $"{kv.Key}={kv.Value}")) });
        return StepResult.Completed(evaluation);
    }

    private Task<StepResult> ApprovalAsync(StepContext ctx, CancellationToken ct)
    {
        var id = ApprovalService.IdForRun(ctx.Run.Id);
        var approval = approvalStore.Get(id);
        if (approval is null)
        {
            var deal = ctx.Output<DealSnapshot>("load-deal");
            var evaluation = ctx.Output<PolicyEvaluation>("evaluate-policy");
            var owner = deal.OwnerId is null ? null : directory.FindByHubSpotOwnerId(deal.OwnerId);
            var requester = ctx.Run.TriggeredBy is { } source && source.StartsWith("userId:", StringComparison.Ordinal)
                ? directory.FindByHubSpotUserId(source["userId:".Length..])
                : null;
            var probe = new Approval { OwnerId = owner?.Id, RequesterId = requester?.Id };
            var unstaffed = evaluation.Stages.FirstOrDefault(s => !approvals.EligibleApprovers(probe, s.Roles).Any());
            if (unstaffed is not null)
            {
                return Task.FromResult(StepResult.Fail("Configuration",
                    $"Policy rule {unstaffed.Rule} needs {string.Join(" or ", unstaffed.Roles)}, but no eligible person in the directory holds that role (the deal owner and requester are excluded).",
                    "Add a person with that role to the directory file (Directory:Path), then retry."));
            }

            var run = ctx.Run;
            approval = approvals.Open(
                new ApprovalRequest(run.Id, run.CorrelationId, run.PortalId, run.SubjectId, run.TriggeredBy, deal.Name, deal.CompanyName, deal.Amount, owner?.Id, requester?.Id),
                evaluation);
        }

        if (approval.IsOpen)
        {
            return Task.FromResult(StepResult.Wait("approval:" + approval.Id));
        }

        var deciders = approval.Decisions.Where(d => d.Verb.StartsWith("approve", StringComparison.Ordinal) || d.Verb == "reject")
            .Select(d => directory.Find(d.By)?.Name ?? d.By).Distinct().ToList();
        return Task.FromResult(StepResult.Completed(new ApprovalOutcome(approval.Id, approval.Status, approval.Outcome, deciders, approval.DecidedAt)));
    }

    private async Task<StepResult> WriteBackAsync(StepContext ctx, CancellationToken ct)
    {
        var outcome = ctx.Output<ApprovalOutcome>("approval");
        var evaluation = ctx.Output<PolicyEvaluation>("evaluate-policy");
        var o = options.Value;
        var status = outcome.Status switch
        {
            ApprovalStatus.AutoApproved => "auto-approved",
            ApprovalStatus.Approved => "approved",
            ApprovalStatus.Rejected => "rejected",
            ApprovalStatus.Expired => "expired",
            _ => outcome.Status.ToString().ToLowerInvariant(),
        };
        var deal = new CrmRecordRef("deals", ctx.Run.SubjectId.ToString(CultureInfo.InvariantCulture));
        var target = new Dictionary<string, string?>
        {
            [o.StatusProperty] = status,
            [o.ApprovedByProperty] = string.Join(", ", outcome.DecidedBy),
            // Target values only, none read from the clock now, so a re-run computes the same ones (StartedAt is kept across attempts).
            [o.DecidedAtProperty] = (outcome.DecidedAt ?? ctx.Step.StartedAt ?? ctx.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };

        // A re-run after a crash between the write and the checkpoint finds the values already set and writes nothing;
        // the note is created once per idempotency key (the client looks for the key on the deal's notes first).
        var current = await crm.GetAsync(deal.ObjectType, deal.Id, [.. target.Keys], null, ct);
        if (target.Any(t => current[t.Key] != t.Value))
        {
            await crm.UpdateAsync(deal.ObjectType, deal.Id, target, ct);
        }
        var stages = evaluation.Stages.Count == 0 ? "no approval required" : string.Join(" → ", evaluation.Stages.Select(s => $"{s.Rule} ({string.Join("/", s.Roles)})"));
        var note = $"<p><strong>Procurement approval: {WebUtility.HtmlEncode(status)}</strong></p>"
            + $"<p>{WebUtility.HtmlEncode(outcome.Outcome ?? status)}</p>"
            + $"<p>Policy {WebUtility.HtmlEncode(evaluation.RuleSetVersion)}: {WebUtility.HtmlEncode(stages)}</p>"
            + $"<p>Run {WebUtility.HtmlEncode(ctx.Run.Id)}, correlation {WebUtility.HtmlEncode(ctx.Run.CorrelationId)}</p>";
        var created = await crm.CreateNoteAsync(deal, note, ctx.IdempotencyKey, ct);
        return StepResult.Completed(new { status, noteId = created.Id });
    }

    private Task<StepResult> NotifyRequesterAsync(StepContext ctx, CancellationToken ct)
    {
        var outcome = ctx.Output<ApprovalOutcome>("approval");
        var approval = approvalStore.Get(outcome.ApprovalId);
        var recipient = approval?.RequesterId ?? approval?.OwnerId;
        if (recipient is null)
        {
            return Task.FromResult(StepResult.Completed(new { notified = (string?)null, reason = "requester and owner are not in the directory" }));
        }

        approvals.TellRequester(approval!, recipient);
        return Task.FromResult(StepResult.Completed(new { notified = recipient }));
    }
}
