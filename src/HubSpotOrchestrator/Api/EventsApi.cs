using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HubSpotOrchestrator.Api;

public sealed record EventView(
    string EventId,
    long PortalId,
    string CorrelationId,
    string SubscriptionType,
    string ObjectType,
    long ObjectId,
    string Source,
    DateTime OccurredAt,
    DateTime ReceivedAt,
    int DuplicateCount,
    string Status,
    DateTime? DispatchedAt,
    int DispatchCount,
    DateTime? RoutedAt,
    string? IgnoredReason,
    string? RuleSetVersion,
    IReadOnlyList<string> RunIds,
    IReadOnlyList<QuarantineView> Quarantined);

public sealed record QuarantineView(string BatchId, int IndexInBatch, string Reason, DateTime ReceivedAt, string Raw, string? RawBase64 = null);

internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/events").RequireAuthorization(Policies.Reader).WithTags("Events").RejectOverlongIds();
        group.MapGet("/{eventId}", Get);
        return app;
    }

    /// <summary>What became of one HubSpot event: received, duplicates, quarantine, dispatch, routing, runs.</summary>
    private static Results<Ok<EventView>, ProblemHttpResult> Get(IInboxStore inbox, string eventId, long? portalId)
    {
        var matches = inbox.FindByEventId(eventId).Where(e => portalId is null || e.PortalId == portalId).ToList();
        var quarantined = inbox.FindQuarantined(eventId).Where(q => portalId is null || q.PortalId == portalId)
            .Select(q => new QuarantineView(q.BatchId, q.IndexInBatch, q.Reason, q.ReceivedAt, q.Raw, q.RawBase64)).ToList();
        if (matches.Count > 1)
        {
            return TypedResults.Problem(title: "Ambiguous event id", detail: $"Event {eventId} exists for portals {string.Join(", ", matches.Select(m => m.PortalId))}; pass ?portalId=.", statusCode: 409);
        }

        if (matches.Count == 0)
        {
            return quarantined.Count > 0
                ? TypedResults.Ok(new EventView(eventId, quarantined.Count > 0 ? portalId ?? 0 : 0, "", "", "", 0, "webhooks-api", default, quarantined[0].ReceivedAt, 0, "Quarantined", null, 0, null, null, null, [], quarantined))
                : TypedResults.Problem(title: "Event not found", detail: $"No event with id '{eventId}' was received.", statusCode: 404);
        }

        var e = matches[0];
        return TypedResults.Ok(new EventView(
            e.EventId, e.PortalId, e.CorrelationId, e.SubscriptionType, e.ObjectType, e.ObjectId, e.Source, e.OccurredAt, e.ReceivedAt,
            e.DuplicateCount, e.Status.ToString(), e.DispatchedAt, e.DispatchCount, e.RoutedAt, e.IgnoredReason, e.RuleSetVersion, e.RunIds, quarantined));
    }
}
