using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>
/// <c>simulate deal-closedwon</c>: signs a webhook batch like HubSpot (v3) with the configured secret, posts it
/// to a running service and reports what became of each event. Fresh event ids unless <c>--keep-ids</c>.
/// </summary>
internal static class SimulateCommand
{
    public static IEnumerable<string> Scenarios =>
        typeof(SimulateCommand).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("scenario:", StringComparison.Ordinal)).Select(n => n["scenario:".Length..]).Order();

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, "keep-ids");
        var what = cli.Positional.FirstOrDefault()
            ?? throw new CliException("simulate needs a fixture file or a scenario: " + string.Join(", ", Scenarios));
        var configuration = ServiceConfiguration.Load(args);
        var baseUrl = (cli.Get("url") ?? configuration["Urls"]?.Split(';')[0] ?? "http://localhost:3978").TrimEnd('/');
        var body = Load(what);
        if (!cli.Has("keep-ids"))
        {
            body = WithFreshIds(body, DateTimeOffset.UtcNow);
        }

        var hubspot = SectionBinder.Bind<HubSpotWebhookOptions>(configuration, HubSpotWebhookOptions.Section);
        var storage = SectionBinder.Bind<StorageOptions>(configuration, StorageOptions.Section);
        var secret = string.IsNullOrEmpty(hubspot.ClientSecret)
            ? new LocalKeys(Options.Create(storage)).GetOrCreate(LocalKeys.LocalHubSpotSecret)
            : hubspot.ClientSecret;
        var path = "/webhooks/hubspot";
        var signedUri = (string.IsNullOrEmpty(hubspot.PublicBaseUrl) ? baseUrl : hubspot.PublicBaseUrl.TrimEnd('/')) + path;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSpotRequestVerifier.SignatureV3Header, HubSpotSignature.V3(secret, "POST", signedUri, body, timestamp));
        request.Headers.Add(HubSpotRequestVerifier.TimestampHeader, timestamp);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"could not reach {baseUrl} ({ex.Message}); start the service with 'dotnet run --project src/HubSpotOrchestrator' or pass --url.");
        }

        var text = await response.Content.ReadAsStringAsync();
        await stdout.WriteLineAsync($"POST {baseUrl}{path} → {(int)response.StatusCode} {response.ReasonPhrase}");
        if (!response.IsSuccessStatusCode)
        {
            await stderr.WriteLineAsync(text);
            return 1;
        }

        var accepted = JsonSerializer.Deserialize<WebhookAccepted>(text, JsonSerializerOptions.Web)!;
        await stdout.WriteLineAsync($"{accepted.Accepted} accepted, {accepted.Duplicates} duplicate(s), {accepted.Quarantined} quarantined");
        var token = cli.Get("token") ?? TokenCommand.Issuer(configuration).Mint("simulate", [Roles.Viewer], TimeSpan.FromMinutes(10));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var e in accepted.Events.Take(20))
        {
            await ReportAsync(http, e, stdout);
        }

        if (accepted.Events.Count > 20)
        {
            await stdout.WriteLineAsync($"… and {accepted.Events.Count - 20} more (GET /api/events/<eventId>)");
        }

        return 0;
    }

    private static async Task ReportAsync(HttpClient http, WebhookEventOutcome e, TextWriter stdout)
    {
        JsonNode? view = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var response = await http.GetAsync(new Uri($"/api/events/{e.EventId}?portalId={e.PortalId}", UriKind.RelativeOrAbsolute));
            if (!response.IsSuccessStatusCode)
            {
                await stdout.WriteLineAsync($"event {e.EventId}: GET /api/events → {(int)response.StatusCode}");
                return;
            }

            view = await response.Content.ReadFromJsonAsync<JsonNode>();
            if (view?["status"]?.GetValue<string>() is "Routed" or "Ignored")
            {
                break;
            }

            await Task.Delay(200);
        }

        var status = view?["status"]?.GetValue<string>();
        var line = new StringBuilder($"event {e.EventId} ({view?["subscriptionType"]}) {e.Status}, correlation {e.CorrelationId}: {status}");
        if (status == "Ignored")
        {
            line.Append(" — ").Append(view?["ignoredReason"]);
        }

        await stdout.WriteLineAsync(line.ToString());
        foreach (var runId in view?["runIds"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            var run = await http.GetFromJsonAsync<JsonNode>($"/api/runs/{runId}");
            await stdout.WriteLineAsync($"  run {runId}: {run?["workflow"]} {run?["status"]} (subject {run?["subjectType"]}:{run?["subjectId"]}, rules {run?["ruleSetVersion"]}) → GET /api/runs/{runId}");
        }
    }

    private static byte[] Load(string what)
    {
        if (File.Exists(what))
        {
            return File.ReadAllBytes(what);
        }

        using var stream = typeof(SimulateCommand).Assembly.GetManifestResourceStream("scenario:" + Path.GetFileNameWithoutExtension(what))
            ?? throw new CliException($"'{what}' is neither a file nor a scenario; scenarios: {string.Join(", ", Scenarios)}");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>New event ids and occurredAt = now, so a scenario can be run again without being a duplicate.</summary>
    internal static byte[] WithFreshIds(byte[] body, DateTimeOffset now)
    {
        if (JsonNode.Parse(body) is not JsonArray events)
        {
            return body;
        }

        var baseId = now.ToUnixTimeMilliseconds() * 1000;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is JsonObject e)
            {
                e["eventId"] = baseId + i;
                e["occurredAt"] = now.ToUnixTimeMilliseconds() + i;
            }
        }

        return Encoding.UTF8.GetBytes(events.ToJsonString());
    }
}
