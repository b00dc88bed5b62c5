using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>An event as GET /api/events/{id} shows it; Status "Missing" for a 404.</summary>
public sealed record EventState(string EventId, string Status, IReadOnlyList<string> RunIds);

/// <summary>The fields of a run (GET /api/runs) the checks read.</summary>
public sealed record RunState(string Id, string Workflow, string Status, long SubjectId, string EventKey, string? WaitingFor, string? StatusReason, int CurrentStep, DateTime UpdatedAt);

/// <summary>The service's JSON API over HTTP, with a bearer token from the service's own <c>token</c> verb.</summary>
public sealed class OrchestratorApi : IDisposable
{
    private readonly Func<string> _baseUrl;
    private readonly HttpClient _http = Ledger.NewClient(TimeSpan.FromSeconds(20));

    public OrchestratorApi(Func<string> baseUrl, string token)
    {
        _baseUrl = baseUrl;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>GET /api/events/{eventId}?portalId=…; "Missing" when the service answers 404; throws on anything else.</summary>
    public async Task<EventState> GetEventAsync(string eventId, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(Url($"/api/events/{eventId}?portalId={WebhookBatches.PortalId}"), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new EventState(eventId, "Missing", []);
        }

        var json = await ReadAsync(response, ct);
        var root = json.RootElement;
        return new EventState(eventId, root.GetProperty("status").GetString()!,
            [.. root.GetProperty("runIds").EnumerateArray().Select(r => r.GetString()!)]);
    }

    /// <summary>Every run of <paramref name="workflow"/> (all pages of GET /api/runs).</summary>
    public async Task<IReadOnlyList<RunState>> GetRunsAsync(string workflow, CancellationToken ct = default)
    {
        // Pages are newest first and runs may be created meanwhile, so a run can show on two pages: keyed by id.
        var runs = new Dictionary<string, RunState>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            using var response = await _http.GetAsync(Url($"/api/runs?workflow={workflow}&pageSize=500&page={page}"), ct);
            using var json = await ReadAsync(response, ct);
            var items = json.RootElement.GetProperty("items");
            foreach (var run in items.EnumerateArray())
            {
                var id = run.GetProperty("id").GetString()!;
                runs[id] = new RunState(
                    id,
                    run.GetProperty("workflow").GetString()!,
                    run.GetProperty("status").GetString()!,
                    run.GetProperty("subjectId").GetInt64(),
                    run.GetProperty("eventKey").GetString()!,
                    run.TryGetProperty("waitingFor", out var waiting) && waiting.ValueKind == JsonValueKind.String ? waiting.GetString() : null,
                    run.TryGetProperty("statusReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                    run.GetProperty("currentStep").GetInt32(),
                    run.GetProperty("updatedAt").GetDateTime());
            }

            var total = json.RootElement.GetProperty("total").GetInt32();
            if (items.GetArrayLength() == 0 || page * 500 >= total)
            {
                return [.. runs.Values];
            }
        }
    }

    /// <summary>Ids of the approvals with <paramref name="status"/> (GET /api/approvals?status=…), newest first.</summary>
    public async Task<IReadOnlyList<string>> GetApprovalIdsAsync(string status, int limit = 500, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(Url($"/api/approvals?status={status}&limit={limit}"), ct);
        using var json = await ReadAsync(response, ct);
        return [.. json.RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
    }

    /// <summary>POST /api/approvals/{id}/decision; the HTTP status (200 recorded, 409 already decided, …).</summary>
    public async Task<HttpStatusCode> DecideAsync(string approvalId, string decision, CancellationToken ct = default)
    {
        using var content = new StringContent($$"""{"decision":"{{decision}}","comment":"reliability suite"}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Url($"/api/approvals/{approvalId}/decision"), content, ct);
        return response.StatusCode;
    }

    /// <summary>GET of any path; the status code (reads that are part of a mixed load).</summary>
    public async Task<HttpStatusCode> GetStatusAsync(string pathAndQuery, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(Url(pathAndQuery), HttpCompletionOption.ResponseContentRead, ct);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private Uri Url(string pathAndQuery) => new(_baseUrl() + pathAndQuery);

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}",
                null, response.StatusCode);
        }

        return JsonDocument.Parse(text);
    }

    public static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
