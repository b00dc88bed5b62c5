using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using HubSpotOrchestrator.Shared;

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
            var reason = Problem(root, query, out var objectId, out var objectType, out var portalId, out var action);
            if (reason is not null)
            {
                return new ParsedBatch([], [WebhookBatchParser.Quarantine(root, reason, batchId, 0, receivedAt)]);
            }

            var eventId = "wf-" + Convert.ToHexStringLower(SHA256.HashData(body))[..24];
            var e = new InboxEvent
            {
                Id = $"{portalId}:{eventId}",
                PortalId = portalId,
                EventId = eventId,
                Source = "workflow-action",
                SubscriptionType = SubscriptionType,
                ObjectType = objectType,
                ObjectId = objectId,
                WorkflowAction = action,
                OccurredAt = receivedAt,
                Raw = SafeJson.RawText(root),
                CorrelationId = WebhookBatchParser.CorrelationId(portalId, eventId),
                BatchId = batchId,
                ReceivedAt = receivedAt,
                Status = InboxStatus.Received,
                ChangeSource = "WORKFLOW",
            };
            return new ParsedBatch([e], []);
        }
    }

    /// <summary>Why the record cannot become an event (quarantined with that reason), or null with its fields.</summary>
    private static string? Problem(JsonElement root, IQueryCollection query, out long objectId, out string objectType, out long portalId, out string action)
    {
        (objectId, objectType, portalId, action) = (0, "", 0, "");
        if (SafeJson.Validate(JsonMarshal.GetRawUtf8Value(root), subject: "the record") is { } invalid)
        {
            return invalid;
        }

        if (FindObjectId(root) is not { } id)
        {
            return "record has no object id (objectId, id, vid or properties.hs_object_id)";
        }

        objectId = id;
        objectType = (query["objectType"].ToString() is { Length: > 0 } q ? q : Text(root, "objectType") ?? "").ToLowerInvariant();
        if (objectType.Length == 0)
        {
            return "object type unknown: add ?objectType=deal|company|contact to the webhook URL";
        }

        action = query["action"].ToString();
        var tooLong = SafeJson.TextProblem("objectType", objectType) ?? SafeJson.TextProblem("action", action);
        if (tooLong is not null)
        {
            return tooLong;
        }

        if (SafeJson.TryGetProperty(root, "portalId", out var p))
        {
            if (AsLong(p) is not { } portal)
            {
                return $"\"portalId\" must be an integer, got {SafeJson.Excerpt(SafeJson.RawText(p))}";
            }

            portalId = portal;
        }
        else if (long.TryParse(query["portalId"], NumberStyles.None, CultureInfo.InvariantCulture, out var fromQuery))
        {
            portalId = fromQuery;
        }

        return null;
    }

    private static long? FindObjectId(JsonElement root)
    {
        foreach (var name in new[] { "objectId", "id", "vid", "hs_object_id" })
        {
            if (SafeJson.TryGetProperty(root, name, out var v) && AsLong(v) is { } id)
            {
                return id;
            }
        }

        // Record shapes: {"properties": {"hs_object_id": "9002"}} or legacy {"properties": {"hs_object_id": {"value": "9002"}}}.
        if (SafeJson.TryGetProperty(root, "properties", out var props) && SafeJson.TryGetProperty(props, "hs_object_id", out var hs))
        {
            return AsLong(SafeJson.TryGetProperty(hs, "value", out var inner) ? inner : hs);
        }

        return null;
    }

    /// <summary>An integer given as a JSON number or a string of digits; null for anything else.</summary>
    private static long? AsLong(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetInt64(out var n) => n,
        JsonValueKind.String when SafeJson.TryGetString(v, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string? Text(JsonElement el, string name) =>
        SafeJson.TryGetProperty(el, name, out var v) && SafeJson.TryGetString(v, out var text) ? text : null;
}
