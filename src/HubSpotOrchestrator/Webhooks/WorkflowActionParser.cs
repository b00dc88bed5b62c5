using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// HubSpot workflow "Send a webhook" action: one whole CRM record per request, no event id. Identical
/// deliveries (HubSpot retries the same body) share a content-derived event id, so they dedupe like batches.
/// </summary>
internal static class WorkflowActionParser
{
    public const string SubscriptionType = "workflow.webhook";

    public static ParsedBatch? Parse(byte[] body, IQueryCollection query, string batchId, DateTime receivedAt, out string? error)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = $"body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}";
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"body must be one JSON object (the CRM record), got {root.ValueKind}";
                return null;
            }

            error = null;
            var objectId = FindObjectId(root);
            var objectType = (query["objectType"].ToString() is { Length: > 0 } q ? q : Text(root, "objectType") ?? "").ToLowerInvariant();
            if (objectId is null || objectType.Length == 0)
            {
                var reason = objectId is null
                    ? "record has no object id (objectId, id, vid or properties.hs_object_id)"
                    : "object type unknown: add ?objectType=deal|company|contact to the webhook URL";
                return new ParsedBatch([], [WebhookBatchParser.Quarantine(root, reason, batchId, 0, receivedAt)]);
            }

            var portalId = root.TryGetProperty("portalId", out var p) && p.TryGetInt64(out var portal) ? portal
                : long.TryParse(query["portalId"], NumberStyles.None, CultureInfo.InvariantCulture, out var qp) ? qp : 0;
            var eventId = "wf-" + Convert.ToHexStringLower(SHA256.HashData(body))[..24];
            var e = new InboxEvent
            {
                Id = $"{portalId}:{eventId}",
                PortalId = portalId,
                EventId = eventId,
                Source = "workflow-action",
                SubscriptionType = SubscriptionType,
                ObjectType = objectType,
                ObjectId = objectId.Value,
                WorkflowAction = query["action"].ToString(),
                OccurredAt = receivedAt,
                Raw = root.GetRawText(),
                CorrelationId = WebhookBatchParser.CorrelationId(portalId, eventId),
                BatchId = batchId,
                ReceivedAt = receivedAt,
                Status = InboxStatus.Received,
                ChangeSource = "WORKFLOW",
            };
            return new ParsedBatch([e], []);
        }
    }

    private static long? FindObjectId(JsonElement root)
    {
        foreach (var name in new[] { "objectId", "id", "vid", "hs_object_id" })
        {
            if (root.TryGetProperty(name, out var v) && AsLong(v) is { } id)
            {
                return id;
            }
        }

        // Record shapes: {"properties": {"hs_object_id": "9002"}} or legacy {"properties": {"hs_object_id": {"value": "9002"}}}.
        if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object && props.TryGetProperty("hs_object_id", out var hs))
        {
            return AsLong(hs.ValueKind == JsonValueKind.Object && hs.TryGetProperty("value", out var inner) ? inner : hs);
        }

        return null;
    }

    private static long? AsLong(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string? Text(JsonElement el, string name) =>
        el.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
