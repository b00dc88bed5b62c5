using System.Globalization;
using System.Text.Json;

namespace HubSpotOrchestrator.Webhooks;

internal sealed record ParsedBatch(List<InboxEvent> Events, List<QuarantinedEvent> Quarantined);

/// <summary>Turns a verified Webhooks API body (a JSON array of events) into inbox records; bad elements go to quarantine.</summary>
internal static class WebhookBatchParser
{
    /// <summary>Returns null with <paramref name="error"/> when the body is not a JSON array at all.</summary>
    public static ParsedBatch? Parse(byte[] body, string batchId, DateTime receivedAt, out string? error)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = $"body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {ex.Message}";
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = $"body must be a JSON array of events, got {doc.RootElement.ValueKind}";
                return null;
            }

            error = null;
            var events = new List<InboxEvent>(doc.RootElement.GetArrayLength());
            var quarantined = new List<QuarantinedEvent>();
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                var reason = TryRead(element, out var e);
                if (reason is null)
                {
                    e!.BatchId = batchId;
                    e.ReceivedAt = receivedAt;
                    events.Add(e);
                }
                else
                {
                    quarantined.Add(Quarantine(element, reason, batchId, index, receivedAt));
                }

                index++;
            }

            return new ParsedBatch(events, quarantined);
        }
    }

    public static QuarantinedEvent Quarantine(JsonElement element, string reason, string batchId, int index, DateTime receivedAt) => new()
    {
        Id = $"{batchId}:{index}",
        BatchId = batchId,
        IndexInBatch = index,
        Raw = element.GetRawText(),
        Reason = reason,
        ReceivedAt = receivedAt,
        PortalId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("portalId", out var p) && p.TryGetInt64(out var portal) ? portal : null,
        EventId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : null,
    };

    public static string CorrelationId(long portalId, string eventId) => $"hs-{portalId}-{eventId}";

    private static string? TryRead(JsonElement el, out InboxEvent? e)
    {
        e = null;
        if (el.ValueKind != JsonValueKind.Object)
        {
            return $"event must be a JSON object, got {el.ValueKind}";
        }

        if (!el.TryGetProperty("eventId", out var eventIdEl) || !eventIdEl.TryGetInt64(out var eventId))
        {
            return "missing or non-integer \"eventId\"";
        }

        if (!el.TryGetProperty("portalId", out var portalEl) || !portalEl.TryGetInt64(out var portalId))
        {
            return "missing or non-integer \"portalId\"";
        }

        if (!el.TryGetProperty("subscriptionType", out var typeEl) || typeEl.ValueKind != JsonValueKind.String || typeEl.GetString() is not { Length: > 0 } subscriptionType)
        {
            return "missing or empty \"subscriptionType\"";
        }

        var dot = subscriptionType.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == subscriptionType.Length - 1)
        {
            return $"\"subscriptionType\" \"{subscriptionType}\" is not of the form object.eventKind";
        }

        if (!el.TryGetProperty("objectId", out var objectEl) || !objectEl.TryGetInt64(out var objectId))
        {
            return "missing or non-integer \"objectId\"";
        }

        if (!el.TryGetProperty("occurredAt", out var occurredEl) || !occurredEl.TryGetInt64(out var occurredAt) || occurredAt < 0)
        {
            return "missing or invalid \"occurredAt\" (epoch milliseconds)";
        }

        var objectType = subscriptionType[..dot];
        if (objectType == "object" && String(el, "objectTypeId") is { } typeId)
        {
            objectType = typeId;
        }

        var id = eventId.ToString(CultureInfo.InvariantCulture);
        e = new InboxEvent
        {
            Id = $"{portalId}:{id}",
            PortalId = portalId,
            EventId = id,
            SubscriptionType = subscriptionType,
            ObjectType = objectType,
            ObjectId = objectId,
            PropertyName = String(el, "propertyName"),
            PropertyValue = String(el, "propertyValue"),
            ChangeSource = String(el, "changeSource"),
            SourceId = String(el, "sourceId"),
            AppId = el.TryGetProperty("appId", out var app) && app.TryGetInt64(out var appId) ? appId : 0,
            AttemptNumber = el.TryGetProperty("attemptNumber", out var att) && att.TryGetInt32(out var attempt) ? attempt : 0,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt).UtcDateTime,
            AssociationType = String(el, "associationType"),
            AssociationRemoved = el.TryGetProperty("associationRemoved", out var rem) && rem.ValueKind is JsonValueKind.True or JsonValueKind.False ? rem.GetBoolean() : null,
            Raw = el.GetRawText(),
            CorrelationId = CorrelationId(portalId, id),
            Status = InboxStatus.Received,
        };
        return null;
    }

    private static string? String(JsonElement el, string name) =>
        el.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        } : null;
}
