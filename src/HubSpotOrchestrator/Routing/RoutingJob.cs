using System.Security.Cryptography;
using System.Text;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Routing;

/// <summary>
/// Hangfire job: routes inbox events to runs. Decides every event first, then writes all decisions (runs, inbox
/// statuses, deal stages) in one transaction, and starts the runs only after it committed. At-least-once safe: a
/// routed event is skipped, and run ids are derived from (event, workflow), so a re-dispatched event never
/// creates a second run.
/// </summary>
internal sealed class RoutingJob(
    IInboxStore inbox,
    IRoutingStore routing,
    IProjectionStore projections,
    RuleSetProvider rules,
    IEnumerable<IRunStarter> starters,
    IOptions<RulesOptions> rulesOptions,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<RoutingJob> logger) : IInboxRouter
{
    public async Task RouteAsync(string[] inboxIds, CancellationToken ct)
    {
        var events = inbox.FindMany(inboxIds).Where(e => e.Status is not (InboxStatus.Routed or InboxStatus.Ignored)).OrderBy(e => e.OccurredAt).ToList();
        if (events.Count == 0)
        {
            return;
        }

        var set = rules.Current;
        var now = clock.GetUtcNow().UtcDateTime;

        // Deal stages seen by earlier events of this job, which later events must see before they are stored.
        var stages = new Dictionary<(long, long), DealStageSeen?>();
        var decisions = new List<RoutingOutcome>(events.Count);
        foreach (var e in events)
        {
            ct.ThrowIfCancellationRequested();
            decisions.Add(await DecideAsync(e, set, stages, now, ct));
        }

        var commit = routing.CommitRouting(decisions, now);
        var byId = events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var d in commit.Applied)
        {
            var e = byId[d.InboxId];
            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", e.CorrelationId);
            Report(e, d, commit.CreatedRunIds, set.Version, now);
            foreach (var run in d.Runs)
            {
                foreach (var starter in starters)
                {
                    starter.Start(run.Id);
                }
            }
        }
    }

    public static string RunIdFor(string inboxId, string workflow) =>
        "run_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inboxId + "|" + workflow)))[..20];

    private async Task<RoutingOutcome> DecideAsync(InboxEvent e, RuleSet set, Dictionary<(long, long), DealStageSeen?> stages, DateTime now, CancellationToken ct)
    {
        DealStageSeen? seen = null;
        if (e.ObjectType == "deal" && e.PropertyName == "dealstage" && !string.IsNullOrEmpty(e.PropertyValue))
        {
            seen = new DealStageSeen(e.PortalId, e.ObjectId, e.PropertyValue, e.OccurredAt);

            // As the projection store does: an older observation never overwrites a newer one.
            if (LastStage(e) is not { } known || known.At <= seen.At)
            {
                stages[(e.PortalId, e.ObjectId)] = seen;
            }
        }

        if (IsOwnWrite(e))
        {
            // Our own CRM writes come back as webhooks; routing them would loop.
            return new RoutingOutcome(e.Id, e.BatchId, set.Version, $"caused by this app's own write (sourceId {e.SourceId})", [], seen);
        }

        var input = RoutingInput.From(e, e.ObjectType == "deal" ? LastStage(e)?.Stage : null, rulesOptions.Value.ClosedDealStages);
        var decision = await EventRouter.RouteAsync(set, input, ct);
        if (decision.Workflows.Count == 0)
        {
            return new RoutingOutcome(e.Id, e.BatchId, set.Version, $"no routing rule matched {e.SubscriptionType}" + (e.PropertyName is null ? "" : $" ({e.PropertyName})"), [], seen);
        }

        var inputValues = decision.Input.ToDictionary();
        var runs = decision.Workflows.Select(w => w.Workflow).Distinct().Select(workflow => new Run
        {
            Id = RunIdFor(e.Id, workflow),
            Workflow = workflow,
            Status = RunStatus.Pending,
            SubjectType = e.ObjectType,
            SubjectId = e.ObjectId,
            PortalId = e.PortalId,
            CorrelationId = e.CorrelationId,
            EventKey = e.Id,
            RuleSetVersion = decision.RuleSetVersion,
            MatchedRules = [.. decision.Workflows.Where(w => w.Workflow == workflow).Select(w => new MatchedRule { RuleName = w.RuleName, Expression = w.Expression })],
            RoutingInput = inputValues,
            OccurredAt = e.OccurredAt,
            TriggeredBy = e.SourceId,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        return new RoutingOutcome(e.Id, e.BatchId, set.Version, null, runs, seen);

        DealStageSeen? LastStage(InboxEvent ev)
        {
            if (!stages.TryGetValue((ev.PortalId, ev.ObjectId), out var last))
            {
                last = projections.GetDeal(ev.PortalId, ev.ObjectId) is { Stage: { } stage } deal ? new DealStageSeen(ev.PortalId, ev.ObjectId, stage, deal.StageChangedAt) : null;
                stages[(ev.PortalId, ev.ObjectId)] = last;
            }

            return last;
        }
    }

    private void Report(InboxEvent e, RoutingOutcome d, IReadOnlySet<string> created, string version, DateTime now)
    {
        var outcome = d.IgnoredReason is null ? "routed" : IsOwnWrite(e) ? "own_write" : "no_match";
        WebhookMetrics.EventsRouted.WithLabels(outcome).Inc();
        WebhookMetrics.DispatchLatency.Observe(Math.Max(0, (now - e.ReceivedAt).TotalSeconds));
        switch (outcome)
        {
            case "own_write":
                logger.LogInformation("Event {EventId} ignored: own write {SourceId}", e.EventId, e.SourceId);
                break;
            case "no_match":
                logger.LogInformation("Event {EventId} ({SubscriptionType}) matched no routing rule in {RuleSetVersion}", e.EventId, e.SubscriptionType, version);
                break;
            default:
                foreach (var run in d.Runs.Where(r => created.Contains(r.Id)))
                {
                    WebhookMetrics.RunsCreated.WithLabels(run.Workflow).Inc();
                    logger.LogInformation("Run {RunId} ({Workflow}) created for {SubjectType} {SubjectId} by rule {RuleName}", run.Id, run.Workflow, run.SubjectType, run.SubjectId, run.MatchedRules[0].RuleName);
                }

                break;
        }
    }

    private bool IsOwnWrite(InboxEvent e)
    {
        if (string.IsNullOrEmpty(e.SourceId))
        {
            return false;
        }

        // HubSpot reports writes made with the app's token as sourceId "app:<appId>"; the event's appId is ours.
        var configured = configuration["HubSpot:AppId"];
        return (e.AppId != 0 && e.SourceId == $"app:{e.AppId}") || (!string.IsNullOrEmpty(configured) && e.SourceId == $"app:{configured}");
    }
}
