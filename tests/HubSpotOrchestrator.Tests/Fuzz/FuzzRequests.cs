using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using static HubSpotOrchestrator.Tests.Fuzz.JsonFuzz;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>One fuzzed request: what it exercises, the request, and the valid events of a mixed batch (stored if all is well).</summary>
internal sealed record FuzzCase(string Kind, HttpRequestMessage Request, IReadOnlyList<string> ValidEventIds, bool UsesConsoleSession = false, bool Oversized = false);

/// <summary>
/// Request <c>i</c> of a fuzz run, drawn from its own seed (<c>PCG(i, seed)</c>), so a run is the same whatever the
/// order the requests are sent in. Covers every endpoint the service maps; the weights favour the ones that parse input.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Fuzz inputs must be reproducible from a seed; nothing here is a secret.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Each request is handed to the caller in a FuzzCase, which disposes it after sending.")]
internal sealed partial class FuzzRequests(FuzzService service, ulong seed)
{
    public const int MixedBatchPortal = 62515;

    private static readonly string[] PoisonEvents =
    [
        "{\"eventId\":\"abc\",\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1}",
        "{\"eventId\":1,\"portalId\":null,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1}",
        "{\"eventId\":2,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":{},\"occurredAt\":1}",
        "{\"eventId\":3,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":true}",
        "{\"eventId\":4,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":99999999999999999}",
        "{\"eventId\":5,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"appId\":\"x\"}",
        "{\"eventId\":6,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"attemptNumber\":[]}",
        "{\"eventId\":7,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"propertyValue\":\"\\ud800\"}",
        $"{{\"eventId\":8,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"propertyValue\":\"{InvalidByte}\"}}",
        "{\"eventId\":9,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"x\":" + Deep(100) + "}",
        "{\"eventId\":" + new string('7', 2000) + ",\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1}",
        "{\"eventId\":10,\"portalId\":62515,\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1,\"sourceId\":\"" + new string('s', 20_000) + "\"}",
        "{\"\\ud800\":1,\"eventId\":11,\"portalId\":\"62515\",\"objectId\":1,\"occurredAt\":1}",
        "\"not an event\"", "null", Deep(5000),
    ];

    public FuzzCase Create(int index)
    {
        var pcg = new PCG((uint)index, seed);
        var random = new Random(unchecked((int)pcg.Next()));
        T Draw<T>(Gen<T> gen) => gen.Generate(pcg, null, out _);
        var roll = random.Next(1000);
        return roll switch
        {
            < 160 => Webhook("webhook batch", "/webhooks/hubspot", Draw(Body(Payloads.WebhookBatch))),
            < 240 => MixedBatch(index, random, Draw(Payloads.WebhookEvent.Array[0, 3])),
            < 310 => WorkflowAction(Draw(Body(Payloads.WorkflowRecord)), Draw(Payloads.WorkflowQuery)),
            < 360 => UnverifiedWebhook(random, Draw(Body(Payloads.WebhookBatch))),
            < 430 => Slack("slack events", "/slack/events", Draw(Body(Payloads.SlackEvent)), "application/json", random),
            < 530 => Slack("slack interactivity", "/slack/interactivity", random.Next(4) == 0 ? RealClick(random) : Draw(Payloads.SlackInteractionForm), "application/x-www-form-urlencoded", random),
            < 590 => Slack("slack commands", "/slack/commands", Draw(Payloads.SlackCommandForm), "application/x-www-form-urlencoded", random),
            < 700 => Teams(random, Draw(Body(Payloads.TeamsActivity)), random.Next(4) == 0 ? RealInvoke(random) : null),
            < 860 => Api(random, Draw(Text), Draw(Gen.OneOf(Body(Payloads.DecisionBody), Body(Payloads.FixBody)))),
            < 950 => Console(random, Draw(Body(Payloads.ButtonData))),
            < 985 => Misc(random, Draw(Text)),
            _ => Oversized(random),
        };
    }

    private FuzzCase Webhook(string kind, string pathAndQuery, byte[] body, string contentType = "application/json") =>
        new(kind, service.App.SignedRequest(pathAndQuery, body, service.App.Clock.GetUtcNow(), contentType: contentType), []);

    /// <summary>Valid events with ids unique to this request, mixed with known poison events and random ones.</summary>
    private FuzzCase MixedBatch(int index, Random random, string[] randomEvents)
    {
        var occurredAt = service.App.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var valid = Enumerable.Range(0, 1 + random.Next(3))
            .Select(k => (Id: (7_000_000_000L + (index * 10L) + k).ToString(CultureInfo.InvariantCulture), K: k))
            .ToList();
        var events = valid.Select(v => $"{{\"eventId\":{v.Id},\"portalId\":{MixedBatchPortal},\"subscriptionType\":\"contact.creation\",\"objectId\":{321 + v.K},\"occurredAt\":{occurredAt},\"changeSource\":\"CRM_UI\",\"sourceId\":\"userId:77\"}}")
            .Concat(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => PoisonEvents[random.Next(PoisonEvents.Length)]))
            .Concat(randomEvents.Where(IsJson)) // one syntax error would make the whole body 400, rightly
            .OrderBy(_ => random.Next())
            .ToList();
        var request = Webhook("mixed batch", "/webhooks/hubspot", Utf8("[" + string.Join(",", events) + "]"));
        return request with { ValidEventIds = [.. valid.Select(v => $"{MixedBatchPortal}:{v.Id}")] };
    }

    private FuzzCase WorkflowAction(byte[] record, Dictionary<string, string> query)
    {
        var pathAndQuery = "/webhooks/hubspot/workflow?" + string.Join("&", query.Select(q => q.Key + "=" + FormEncode(Utf8(q.Value))));
        return Webhook("workflow action", pathAndQuery, record);
    }

    private FuzzCase UnverifiedWebhook(Random random, byte[] body)
    {
        var path = random.Next(2) == 0 ? "/webhooks/hubspot" : "/webhooks/hubspot/workflow?objectType=deal";
        var request = service.App.SignedRequest(path, body, service.App.Clock.GetUtcNow());
        switch (random.Next(7))
        {
            case 0:
                request.Headers.Remove("X-HubSpot-Signature-v3");
                break;
            case 1:
                request.Headers.Remove("X-HubSpot-Signature-v3");
                request.Headers.Add("X-HubSpot-Signature-v3", "bm90IGEgc2lnbmF0dXJl");
                break;
            case 2:
                request.Headers.Remove("X-HubSpot-Request-Timestamp");
                request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", Pick(random, "abc", "99999999999999999999", "-5", "9223372036854775807", "", "1e3"));
                break;
            case 3:
                request.Content!.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, "text/plain", "application/json; charset=utf-16", "x/;;;", "application/jsonx", "multipart/form-data; boundary=x"));
                break;
            case 4:
                request.Headers.Remove("X-HubSpot-Signature-v3");
                request.Headers.Add("X-HubSpot-Signature", "abc");
                request.Headers.Add("X-HubSpot-Signature-Version", Pick(random, "v1", "v2", "v9"));
                break;
            case 5:
                request.Headers.Remove("X-HubSpot-Signature-v3");
                request.Headers.Add("X-HSO-Api-Key", "wrong-key");
                break;
            default:
                request.Content!.Headers.Remove("Content-Type");
                break;
        }

        return new("webhook unverified", request, []);
    }

    private FuzzCase Slack(string kind, string path, byte[] body, string contentType, Random random)
    {
        var at = service.App.Clock.GetUtcNow();
        var request = SlackApp.Signed(path, body, contentType, at);
        switch (random.Next(12))
        {
            case 0:
                request.Headers.Remove("X-Slack-Signature");
                return new(kind + " unsigned", request, []);
            case 1:
                request.Headers.Remove("X-Slack-Request-Timestamp");
                request.Headers.TryAddWithoutValidation("X-Slack-Request-Timestamp", Pick(random, "abc", "99999999999999999999", "-1", (at.ToUnixTimeSeconds() - 3600).ToString(CultureInfo.InvariantCulture)));
                return new(kind + " bad timestamp", request, []);
            case 2:
                request.Headers.Remove("X-Slack-Signature");
                request.Headers.TryAddWithoutValidation("X-Slack-Signature", Pick(random, "v0=zz", "v0=" + new string('a', 64), "v1=abc", "v0=" + new string('g', 64)));
                return new(kind + " bad signature", request, []);
            case 3:
                request.Content!.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, "text/plain", "application/json", "application/x-www-form-urlencoded; charset=latin1", "x/;;;"));
                return new(kind + " other content type", request, []);
            default:
                return new(kind, request, []);
        }
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static bool IsJson(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(Utf8(text), new System.Text.Json.JsonDocumentOptions { MaxDepth = 10_000 });
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
