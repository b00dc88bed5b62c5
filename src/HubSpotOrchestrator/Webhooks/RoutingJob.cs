using System.Security.Cryptography;
using System.Text;
using Hangfire;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Workflows;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// Hangfire job: routes inbox events to runs. At-least-once safe: a routed event is skipped, and run ids are
/// derived from (event, workflow), so a re-dispatched event never creates a second run.
/// </summary>
internal sealed class RoutingJob(
    IInboxStore inbox,
    IRunStore runs,
    IProjectionStore projections,
    RuleSetProvider rules,
    IEnumerable<IRunStarter> starters,
    IOptions<RulesOptions> rulesOptions,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<RoutingJob> logger)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task RouteAsync(string[] inboxIds, CancellationToken ct)
    {
        var events = inbox.FindMany(inboxIds).OrderBy(e => e.OccurredAt).ToList();
        var set = rules.Current;
        foreach (var e in events)
        {
            ct.ThrowIfCancellationRequested();
            if (e.Status is InboxStatus.Routed or InboxStatus.Ignored)
            {
                continue;
            }

            using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", e.CorrelationId);
            await RouteOneAsync(e, set, ct);
        }
    }

    public static string RunIdFor(string inboxId, string workflow) =>
        "run_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inboxId + "|" + workflow)))[..20];

    private async Task RouteOneAsync(InboxEvent e, RuleSet set, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (e.ObjectType == "deal" && e.PropertyName == "dealstage" && !string.IsNullOrEmpty(e.PropertyValue))
        {
            projections.ObserveDealStage(e.PortalId, e.ObjectId, e.PropertyValue, e.OccurredAt);
        }

        if (IsOwnWrite(e))
        {
            // Our own CRM writes come back as webhooks; routing them would loop.
            inbox.MarkIgnored(e.Id, set.Version, $"caused by this app's own write (sourceId {e.SourceId})", now);
            Finish(e, "own_write", now);
            logger.LogInformation("Event {EventId} ignored: own write {SourceId}", e.EventId, e.SourceId);
            return;
        }

        var decision = await EventRouter.RouteAsync(set, BuildInput(e), ct);
        if (decision.Workflows.Count == 0)
        {
            inbox.MarkIgnored(e.Id, set.Version, $"no routing rule matched {e.SubscriptionType}" + (e.PropertyName is null ? "" : $" ({e.PropertyName})"), now);
            Finish(e, "no_match", now);
            logger.LogInformation("Event {EventId} ({SubscriptionType}) matched no routing rule in {RuleSetVersion}", e.EventId, e.SubscriptionType, set.Version);
            return;
        }

        var inputValues = decision.Input.ToDictionary();
        var runIds = new List<string>(decision.Workflows.Count);
        foreach (var routed in decision.Workflows)
        {
            var run = new Run
            {
                Id = RunIdFor(e.Id, routed.Workflow),
                Workflow = routed.Workflow,
                Status = RunStatus.Pending,
                SubjectType = e.ObjectType,
                SubjectId = e.ObjectId,
                PortalId = e.PortalId,
                CorrelationId = e.CorrelationId,
                EventKey = e.Id,
                RuleSetVersion = decision.RuleSetVersion,
                MatchedRules = [.. decision.Workflows.Where(w => w.Workflow == routed.Workflow).Select(w => new MatchedRule { RuleName = w.RuleName, Expression = w.Expression })],
                RoutingInput = inputValues,
                OccurredAt = e.OccurredAt,
                TriggeredBy = e.SourceId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            if (runs.TryCreate(run))
            {
                WebhookMetrics.RunsCreated.WithLabels(run.Workflow).Inc();
                logger.LogInformation("Run {RunId} ({Workflow}) created for {SubjectType} {SubjectId} by rule {RuleName}", run.Id, run.Workflow, run.SubjectType, run.SubjectId, routed.RuleName);
            }

            runIds.Add(run.Id);
        }

        inbox.MarkRouted(e.Id, set.Version, runIds, now);
        Finish(e, "routed", now);
        foreach (var runId in runIds)
        {
            foreach (var starter in starters)
            {
                starter.Start(runId);
            }
        }
    }

    private static void Finish(InboxEvent e, string outcome, DateTime now)
    {
        WebhookMetrics.EventsRouted.WithLabels(outcome).Inc();
        WebhookMetrics.DispatchLatency.Observe(Math.Max(0, (now - e.ReceivedAt).TotalSeconds));
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

    private RoutingInput BuildInput(InboxEvent e) =>
        RoutingInput.From(e, e.ObjectType == "deal" ? projections.GetDeal(e.PortalId, e.ObjectId)?.Stage : null, rulesOptions.Value.ClosedDealStages);
}
