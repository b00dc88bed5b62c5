using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Tests.Webhooks;

/// <summary>
/// Events an outside fuzzer found to cost a whole signed batch (500 with nothing stored, 503 forever, or 400): each is
/// now quarantined with a reason naming the field, while the batch's valid event is stored and routed and HubSpot gets 200.
/// Every test posts the exact input over HTTP, signed like HubSpot (v3).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PoisonInputTests(OrchestratorFactory app) : IClassFixture<OrchestratorFactory>
{
    private static long _offset = 50_000_000;

    public static TheoryData<string, string> UnreadableNumbers()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "eventId", "portalId", "objectId", "occurredAt", "appId", "attemptNumber" })
        {
            foreach (var value in new[] { "\"12\"", "null", "true", "{\"a\":1}" })
            {
                data.Add(field, value);
            }
        }

        // Numbers out of range: past year 9999 or before 1970 (FromUnixTimeMilliseconds threw), beyond 64 or 32 bits.
        data.Add("occurredAt", "253402300800000");
        data.Add("occurredAt", "-62135596800001");
        data.Add("occurredAt", "1e400");
        data.Add("attemptNumber", "2147483648");
        data.Add("eventId", "9223372036854775808");
        return data;
    }

    [Theory]
    [MemberData(nameof(UnreadableNumbers))]
    public async Task NumberFieldOfTheWrongKindOrRange_QuarantinesThatEventNamingTheField_AndTheBatchIsStoredAndRouted(string field, string value)
    {
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, field, value));

        Assert.Contains($"\"{field}\"", quarantined.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("propertyValue", "\"\\ud800\"")]
    [InlineData("propertyName", "\"x\\udfffy\"")]
    [InlineData("sourceId", "\"\\udc00\\ud800\"")]
    public async Task LoneSurrogateInAValue_QuarantinesThatEventNamingTheField(string field, string value)
    {
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, field, value));

        Assert.Contains($"\"{field}\" is not valid text", quarantined.Reason, StringComparison.Ordinal);
        Assert.Contains(value.Trim('"'), quarantined.Raw, StringComparison.Ordinal); // kept as sent, escape and all
    }

    [Fact]
    public async Task LoneSurrogateInAPropertyName_QuarantinesThatEvent()
    {
        var quarantined = await PostBatchWithPoisonAsync(marker => "{\"\\ud800\":1," + Event(marker)[1..]);

        Assert.Contains("a property name", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8InAValue_QuarantinesThatEvent_WithTheExactBytesKept()
    {
        byte[]? poison = null;
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, "propertyValue", "\"caf\u00ff\""), bytes => poison = bytes);

        Assert.Contains("\"propertyValue\" is not valid text", quarantined.Reason, StringComparison.Ordinal);
        Assert.Contains("\uFFFD", quarantined.Raw, StringComparison.Ordinal);
        Assert.Equal(poison, Convert.FromBase64String(quarantined.RawBase64!));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(10_000)]
    public async Task EventNestedDeeperThan64Levels_IsQuarantined_NotTheWholeBatchRefused(int levels)
    {
        // The event object is one level; "x" holds levels - 1 more.
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, "x", new string('[', levels - 1) + new string(']', levels - 1)));

        Assert.Contains("nests deeper than 64 levels", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventNested64Levels_IsAccepted()
    {
        var offset = Interlocked.Add(ref _offset, 1_000);
        var body = Encoding.UTF8.GetBytes("[" + Event("deep", "x", new string('[', 63) + new string(']', 63), eventId: 500 + offset) + "]");
        using var request = app.SignedRequest("/webhooks/hubspot", body);
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 0), await CountsAsync(response));
    }

    [Fact]
    public async Task EventWithAHugeNumberForItsId_IsQuarantinedWithoutIndexingThatNumber()
    {
        // Before: the 2,000-digit id went into the quarantine's EventId index (LiteDB keys < 1,023 bytes): 503 on every retry.
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, "eventId", new string('7', 2000)));

        Assert.Contains("\"eventId\" must be a 64-bit integer", quarantined.Reason, StringComparison.Ordinal);
        Assert.Null(quarantined.EventId);
    }

    [Fact]
    public async Task QuarantinedEventWithAStringPortalId_IsKept_AndFoundByItsEventId()
    {
        // Before: the quarantine itself read portalId with TryGetInt64, which throws on a string: 500.
        var eventId = Interlocked.Add(ref _offset, 1_000);
        var quarantined = await PostBatchWithPoisonAsync(marker => $"{{\"marker\":\"{marker}\",\"eventId\":{eventId},\"portalId\":\"62515\"}}");

        Assert.Null(quarantined.PortalId);
        Assert.Equal(eventId.ToString(CultureInfo.InvariantCulture), quarantined.EventId);
        Assert.Contains(app.Service<IInboxStore>().FindQuarantined(quarantined.EventId), q => q.Id == quarantined.Id);
    }

    [Fact]
    public async Task EventWithAnOverlongId_IsQuarantinedNamingTheField()
    {
        var quarantined = await PostBatchWithPoisonAsync(marker => Event(marker, "sourceId", "\"" + new string('s', 20_000) + "\""));

        Assert.Contains("\"sourceId\" is longer than 256 characters", quarantined.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Posts deal-closedwon (fresh ids) with the poison event, expects 200 with one accepted and one quarantined, the
    /// valid event routed, and returns the quarantined record (found by the poison's marker).
    /// </summary>
    private async Task<QuarantinedEvent> PostBatchWithPoisonAsync(Func<string, string> poison, Action<byte[]>? poisonBytes = null)
    {
        var offset = Interlocked.Add(ref _offset, 1_000);
        var marker = "m" + Guid.NewGuid().ToString("N");
        var valid = Fixtures.HubSpotWithIds("deal-closedwon", offset);
        var poisonEvent = Latin1Escapes(poison(marker));
        poisonBytes?.Invoke(poisonEvent);
        byte[] body = [.. valid[..^1], .. ","u8, .. poisonEvent, .. "]"u8];
        using var request = app.SignedRequest("/webhooks/hubspot", body);
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 1), await CountsAsync(response));
        var inbox = app.Service<IInboxStore>();
        var id = $"62515:{101 + offset}";
        await Eventually.TrueAsync(() => inbox.Find(id)?.Status == InboxStatus.Routed, "the valid event of the batch routed");
        Assert.Single(inbox.Find(id)!.RunIds);
        return Assert.Single(inbox.FindQuarantined(limit: 1000), q => q.Raw.Contains(marker, StringComparison.Ordinal));
    }

    private static async Task<(int Accepted, int Quarantined)> CountsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<WebhookAccepted>();
        return (body!.Accepted, body.Quarantined);
    }

    /// <summary>A contact.creation event (valid as it stands) with <paramref name="field"/> set to the raw JSON <paramref name="value"/>.</summary>
    internal static string Event(string marker, string? field = null, string? value = null, long eventId = 7)
    {
        var fields = new JsonObject
        {
            ["marker"] = marker, ["eventId"] = eventId, ["portalId"] = 62515, ["appId"] = 1160452, ["occurredAt"] = 1764086501000,
            ["subscriptionType"] = "contact.creation", ["attemptNumber"] = 0, ["objectId"] = 321, ["changeSource"] = "CRM_UI", ["sourceId"] = "userId:77",
        };
        var text = string.Join(",", fields.Where(f => f.Key != field).Select(f => $"\"{f.Key}\":{f.Value!.ToJsonString()}"));
        return "{" + text + (field is null ? "" : $",\"{field}\":{value}") + "}";
    }

    /// <summary>UTF-8 of <paramref name="text"/>, except that U+0080–U+00FF become single bytes: how tests write invalid UTF-8.</summary>
    internal static byte[] Latin1Escapes(string text) => text.Any(c => c is >= '\u0080' and <= '\u00ff')
        ? Encoding.Latin1.GetBytes(text)
        : Encoding.UTF8.GetBytes(text);
}
