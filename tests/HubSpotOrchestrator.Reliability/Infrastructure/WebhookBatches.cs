using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>What an event is meant to cause under rules/routing.json.</summary>
public enum EventKind
{
    /// <summary>deal.propertyChange dealstage=contractsent on a deal with a 25 % discount: Procurement Approval, sales-VP approval.</summary>
    ProcurementNeedsApproval,

    /// <summary>Same, 5 % discount and 40,000: Procurement Approval, auto-approved (no stage).</summary>
    ProcurementAutoApproved,

    /// <summary>dealstage=closedwon: Deal Kickoff (no implementation yet, its runs stay Pending).</summary>
    DealClosedWon,

    /// <summary>dealstage=appointmentscheduled: no rule, Ignored.</summary>
    DealStageWithoutRule,

    /// <summary>contact.creation: Contact Role Mapping (not implemented).</summary>
    ContactCreated,

    /// <summary>contact.propertyChange jobtitle: Contact Role Mapping (not implemented).</summary>
    ContactJobTitle,

    /// <summary>company.propertyChange domain: Company Intake (not implemented).</summary>
    CompanyDomain,

    /// <summary>company.propertyChange name made by this app (sourceId app:&lt;appId&gt;): Ignored, our own write.</summary>
    OwnAppWrite,
}

public sealed record SentEvent(string EventId, EventKind Kind, long ObjectId)
{
    public bool IsProcurement => Kind is EventKind.ProcurementNeedsApproval or EventKind.ProcurementAutoApproved;
}

/// <summary>One signed webhook request's body and what became of its deliveries.</summary>
public sealed class WebhookBatch(int number, ReadOnlyMemory<byte> body, IReadOnlyList<SentEvent> events)
{
    private readonly Lock _gate = new();
    private readonly List<string> _answers = [];

    public int Number { get; } = number;

    public ReadOnlyMemory<byte> Body { get; } = body;

    public IReadOnlyList<SentEvent> Events { get; } = events;

    public bool Acknowledged { get; private set; }

    /// <summary>The answer of each delivery attempt ("200", "503 Retry-After: 30", "connection refused", …).</summary>
    public IReadOnlyList<string> Answers
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers];
            }
        }
    }

    public void Record(string answer, bool acknowledged)
    {
        lock (_gate)
        {
            _answers.Add(answer);
            Acknowledged |= acknowledged;
        }
    }
}

/// <summary>
/// Builds 50-event HubSpot webhook batches (the Webhooks API's JSON) with fresh event ids, and registers the deals
/// they name in the loopback HubSpot so Procurement Approval finds them. Signs like HubSpot v3: HMAC-SHA256 over
/// method + URI + body + timestamp with the app secret, base64.
/// </summary>
public sealed class WebhookBatches(FakeHubSpotServer? hubspot, Chance chance)
{
    public const long PortalId = 62515;
    public const long AppId = 1160452;
    public const int EventsPerBatch = 50;

    private static long _nextEventId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private static long _nextDeal = 6_000_000 + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 100_000 * 1000);
    private int _batches;
    private long _nextObject = 40_000_000;

    /// <summary>
    /// The next batch: <paramref name="procurementDeals"/> contract-sent events for new deals (alternately needing an
    /// approval and auto-approved; none without a HubSpot), the rest a fixed mix of events that start the other
    /// workflows or none.
    /// </summary>
    public WebhookBatch Next(int procurementDeals)
    {
        if (hubspot is null)
        {
            procurementDeals = 0;
        }

        var kinds = new List<EventKind>(EventsPerBatch);
        for (var i = 0; i < procurementDeals; i++)
        {
            kinds.Add(chance.Next(2) == 0 ? EventKind.ProcurementNeedsApproval : EventKind.ProcurementAutoApproved);
        }

        EventKind[] others =
        [
            EventKind.ContactCreated, EventKind.CompanyDomain, EventKind.DealStageWithoutRule, EventKind.ContactJobTitle,
            EventKind.DealClosedWon, EventKind.OwnAppWrite,
        ];
        while (kinds.Count < EventsPerBatch)
        {
            kinds.Add(others[kinds.Count % others.Length]);
        }

        chance.Shuffle(kinds);
        var events = kinds.Select(NewEvent).ToList();
        return new WebhookBatch(Interlocked.Increment(ref _batches), Serialize(events), events);
    }

    public static HttpRequestMessage Sign(string url, ReadOnlyMemory<byte> body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var message = Encoding.UTF8.GetBytes("POST" + url).Concat(body.ToArray()).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ServiceProcess.WebhookSecret), message));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return request;
    }

    private SentEvent NewEvent(EventKind kind)
    {
        var eventId = Interlocked.Increment(ref _nextEventId).ToString(CultureInfo.InvariantCulture);
        long objectId;
        if (kind is EventKind.ProcurementNeedsApproval or EventKind.ProcurementAutoApproved)
        {
            objectId = Interlocked.Increment(ref _nextDeal);
            var id = objectId.ToString(CultureInfo.InvariantCulture);
            hubspot!.AddDeal(
                id,
                new Dictionary<string, string?>
                {
                    ["dealname"] = "Reliability deal " + id,
                    ["amount"] = "40000",
                    ["discount_percentage"] = kind == EventKind.ProcurementNeedsApproval ? "25" : "5",
                    ["dealstage"] = "contractsent",
                    ["pipeline"] = "default",
                    ["hubspot_owner_id"] = "77",
                },
                companyId: "555");
        }
        else
        {
            objectId = Interlocked.Increment(ref _nextObject);
        }

        return new SentEvent(eventId, kind, objectId);
    }

    private static byte[] Serialize(IReadOnlyList<SentEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            json.WriteStartArray();
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteNumber("eventId", long.Parse(e.EventId, CultureInfo.InvariantCulture));
                json.WriteNumber("subscriptionId", 1000 + (int)e.Kind);
                json.WriteNumber("portalId", PortalId);
                json.WriteNumber("appId", AppId);
                json.WriteNumber("occurredAt", occurredAt);
                json.WriteNumber("attemptNumber", 0);
                json.WriteNumber("objectId", e.ObjectId);
                json.WriteString("changeSource", e.Kind == EventKind.OwnAppWrite ? "INTEGRATION" : "CRM_UI");
                json.WriteString("sourceId", e.Kind == EventKind.OwnAppWrite ? "app:" + AppId : "userId:77");
                var (type, property, value) = e.Kind switch
                {
                    EventKind.ProcurementNeedsApproval or EventKind.ProcurementAutoApproved => ("deal.propertyChange", "dealstage", "contractsent"),
                    EventKind.DealClosedWon => ("deal.propertyChange", "dealstage", "closedwon"),
                    EventKind.DealStageWithoutRule => ("deal.propertyChange", "dealstage", "appointmentscheduled"),
                    EventKind.ContactCreated => ("contact.creation", null, null),
                    EventKind.ContactJobTitle => ("contact.propertyChange", "jobtitle", "Head of Procurement"),
                    EventKind.CompanyDomain => ("company.propertyChange", "domain", $"c{e.ObjectId}.example.com"),
                    _ => ("company.propertyChange", "name", "Renamed by the app"),
                };
                json.WriteString("subscriptionType", type);
                if (property is null)
                {
                    json.WriteString("changeFlag", "CREATED");
                }
                else
                {
                    json.WriteString("propertyName", property);
                    json.WriteString("propertyValue", value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
