using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Webhooks;

internal sealed record ParsedBatch(List<InboxEvent> Events, List<QuarantinedEvent> Quarantined);

/// <summary>
/// Turns a verified Webhooks API body (a JSON array of events) into inbox records; bad elements go to quarantine with a
/// reason naming the field. Nothing an event contains makes this throw, so one poison event never costs the batch.
/// </summary>
internal static class WebhookBatchParser
{
    /// <summary>Longest <c>propertyValue</c> kept (HubSpot's own limit on a property value is 65,536 characters).</summary>
    public const int MaxPropertyValueLength = 65_536;

    /// <summary>Epoch milliseconds of 9999-12-31T23:59:59.999Z, the last instant a <see cref="DateTime"/> holds.</summary>
    private const long MaxEpochMilliseconds = 253_402_300_799_999;

    private static readonly string[] TextFields = ["propertyName", "changeSource", "sourceId", "associationType", "objectTypeId"];

    /// <summary>Returns null with <paramref name="error"/> when the body is not a JSON array at all.</summary>
    public static ParsedBatch? Parse(byte[] body, string batchId, DateTime receivedAt, out string? error)
    {
        JsonDocument doc;
        try
        {
            // The envelope may nest as deep as its bytes allow, so that one event deeper than SafeJson.MaxDepth is
            // quarantined instead of costing the batch. The parser is iterative (no recursion) and the body is bounded
            // (Webhooks:MaxBodyBytes), so depth costs memory in proportion to the bytes sent, never stack.
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Math.Max(SafeJson.MaxDepth, body.Length + 1) });
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

    /// <summary>The element kept as sent, with the reason; the portal and event id are kept when they can be read (for /api/events).</summary>
    public static QuarantinedEvent Quarantine(JsonElement element, string reason, string batchId, int index, DateTime receivedAt)
    {
        var validUtf8 = SafeJson.IsValidUtf8(element);
        var portal = SafeJson.Int64Field(element, "portalId");
        return new QuarantinedEvent
        {
            Id = $"{batchId}:{index}",
            BatchId = batchId,
            IndexInBatch = index,
            Raw = SafeJson.RawText(element),
            RawBase64 = validUtf8 ? null : SafeJson.RawBase64(element),
            Reason = validUtf8 ? reason : reason + " (Raw shows the bytes that are not UTF-8 as U+FFFD; RawBase64 holds them exactly)",
            ReceivedAt = receivedAt,
            PortalId = portal.IsOk ? portal.Value : null,
            EventId = QuarantinedEventId(element),
        };
    }

    public static string CorrelationId(long portalId, string eventId) => $"hs-{portalId}-{eventId}";

    /// <summary>The event id as sent when it is a short number or string, so /api/events/{eventId} finds the quarantined event.</summary>
    private static string? QuarantinedEventId(JsonElement element)
    {
        if (!SafeJson.TryGetProperty(element, "eventId", out var id))
        {
            return null;
        }

        var text = id.ValueKind == JsonValueKind.Number ? SafeJson.RawText(id) : SafeJson.TryGetString(id, out var s) ? s : null;
        return text is { Length: > 0 and <= 32 } ? text : null;
    }

    private static string? TryRead(JsonElement el, out InboxEvent? e)
    {
        e = null;
        if (el.ValueKind != JsonValueKind.Object)
        {
            return $"event must be a JSON object, got {el.ValueKind}";
        }

        // Depth and text first: after this, reading any property cannot throw.
        if (SafeJson.Validate(JsonMarshal.GetRawUtf8Value(el), subject: "the event") is { } problem)
        {
            return problem;
        }

        var eventId = SafeJson.Int64Field(el, "eventId");
        var portalId = SafeJson.Int64Field(el, "portalId");
        var subscriptionType = SafeJson.StringField(el, "subscriptionType");
        var objectId = SafeJson.Int64Field(el, "objectId");
        var occurredAt = SafeJson.Int64Field(el, "occurredAt");
        var appId = SafeJson.Int64Field(el, "appId");
        var attempt = SafeJson.Int32Field(el, "attemptNumber");
        var required = new[] { eventId.Problem, portalId.Problem, subscriptionType.Problem, objectId.Problem, occurredAt.Problem };
        if (required.FirstOrDefault(p => p is not null) is { } missing)
        {
            return missing;
        }

        // Optional numbers may be absent (0), but present they must be integers.
        var badOptional = (appId.IsMissing ? null : appId.Problem) ?? (attempt.IsMissing ? null : attempt.Problem);
        if (badOptional is not null)
        {
            return badOptional;
        }

        var type = subscriptionType.Value;
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == type.Length - 1)
        {
            return $"\"subscriptionType\" \"{SafeJson.Excerpt(type)}\" is not of the form object.eventKind";
        }

        if (occurredAt.Value is < 0 or > MaxEpochMilliseconds)
        {
            return $"\"occurredAt\" {occurredAt.Value.ToString(CultureInfo.InvariantCulture)} is not epoch milliseconds between 1970 and 9999";
        }

        var text = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in TextFields.Append("propertyValue"))
        {
            text[name] = String(el, name);
            if (SafeJson.TextProblem(name, text[name], name == "propertyValue" ? MaxPropertyValueLength : SafeJson.MaxIdLength) is { } tooLong)
            {
                return tooLong;
            }
        }

        var objectType = type[..dot];
        if (objectType == "object" && text["objectTypeId"] is { } typeId)
        {
            objectType = typeId;
        }

        var id = eventId.Value.ToString(CultureInfo.InvariantCulture);
        e = new InboxEvent
        {
            Id = $"{portalId.Value}:{id}",
            PortalId = portalId.Value,
            EventId = id,
            SubscriptionType = type,
            ObjectType = objectType,
            ObjectId = objectId.Value,
            PropertyName = text["propertyName"],
            PropertyValue = text["propertyValue"],
            ChangeSource = text["changeSource"],
            SourceId = text["sourceId"],
            AppId = appId.Value,
            AttemptNumber = attempt.Value,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt.Value).UtcDateTime,
            AssociationType = text["associationType"],
            AssociationRemoved = SafeJson.TryGetProperty(el, "associationRemoved", out var rem) && rem.ValueKind is JsonValueKind.True or JsonValueKind.False ? rem.GetBoolean() : null,
            Raw = SafeJson.RawText(el),
            CorrelationId = CorrelationId(portalId.Value, id),
            Status = InboxStatus.Received,
        };
        return null;
    }

    /// <summary>A text field as HubSpot sends it; other kinds (a numeric property value) are kept as their JSON text. Validated text only.</summary>
    private static string? String(JsonElement el, string name) =>
        SafeJson.TryGetProperty(el, name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => SafeJson.RawText(v),
        } : null;
}
