using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Api;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class ApiTests(OrchestratorFactory app) : IClassFixture<OrchestratorFactory>
{
    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/rules")]
    [InlineData("/api/events/101")]
    public async Task ApiWithoutToken_Gets401(string path)
    {
        using var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKey_Gets401()
    {
        var client = app.CreateClient();
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "hubspot-orchestrator",
            Audience = "hubspot-orchestrator",
            Claims = new Dictionary<string, object> { ["sub"] = "mallory" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256"),
        });
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        using var response = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task EventsApi_ShowsReceiptDuplicatesRoutingAndRuns()
    {
        var body = Fixtures.HubSpotWithIds("deal-contractsent-large", 77_000_000);
        var client = app.CreateClient();
        using var first = app.SignedRequest("/webhooks/hubspot", body);
        using var firstResponse = await client.SendAsync(first);
        using var second = app.SignedRequest("/webhooks/hubspot", body);
        using var secondResponse = await client.SendAsync(second);
        var inbox = app.Service<IInboxStore>();
        await Eventually.TrueAsync(() => inbox.Find("62515:77000102")?.Status == InboxStatus.Routed, "routed");

        var view = await app.ApiClient().GetFromJsonAsync<EventView>("/api/events/77000102");
        Assert.Equal(("Routed", 1), (view!.Status, view.DuplicateCount));
        Assert.Equal("hs-62515-77000102", view.CorrelationId);
        Assert.NotNull(view.DispatchedAt);
        var runId = Assert.Single(view.RunIds);

        var run = await app.ApiClient().GetFromJsonAsync<JsonObject>($"/api/runs/{runId}");
        Assert.Equal("ProcurementApproval", run!["workflow"]!.GetValue<string>());

        // Routing creates the run Pending; the workflow engine may already have moved it on (no HubSpot configured here).
        Assert.Equal("hs-62515-77000102", run["correlationId"]!.GetValue<string>());

        var page = await app.ApiClient().GetFromJsonAsync<JsonObject>("/api/runs?workflow=ProcurementApproval&subject=deal:9002&pageSize=5");
        Assert.Contains(page!["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == runId);
    }

    [Fact]
    public async Task UnknownRunAndEvent_Get404ProblemDetails()
    {
        var client = app.ApiClient();
        using var run = await client.GetAsync("/api/runs/run_nope");
        using var ev = await client.GetAsync("/api/events/424242424242");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (run.StatusCode, ev.StatusCode));
        Assert.Equal("application/problem+json", run.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/runs?status=exploded")]
    [InlineData("/api/runs?subject=deal:abc")]
    [InlineData("/api/runs?pageSize=0")]
    public async Task BadRunQuery_Gets400(string path)
    {
        using var response = await app.ApiClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_ReportStoreJobsAndRules()
    {
        var client = app.CreateClient();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        JsonObject? ready = null;
        await Eventually.TrueAsync(() =>
        {
            ready = client.GetFromJsonAsync<JsonObject>("/health/ready").GetAwaiter().GetResult();
            return ready!["status"]!.GetValue<string>() == "Healthy";
        }, "ready");
        Assert.Equal("Healthy", ready!["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["jobs"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["rules"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metrics_ExposeWebhookCountersInPrometheusFormat()
    {
        var client = app.CreateClient();
        using var accepted = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpotWithIds("contact-creation", 88_000_000));
        using var acceptedResponse = await client.SendAsync(accepted);
        using var rejected = app.SignedRequest("/webhooks/hubspot", "[]"u8.ToArray(), secret: "wrong");
        using var rejectedResponse = await client.SendAsync(rejected);
        var text = await client.GetStringAsync("/metrics");
        Assert.Contains("hso_webhook_events_received_total{source=\"webhooks-api\"}", text, StringComparison.Ordinal);
        Assert.Contains("hso_webhook_requests_rejected_total{reason=\"unauthorized\"}", text, StringComparison.Ordinal);
        Assert.Contains("hso_dispatch_latency_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsDashboard_IsServedToLocalRequestsOnly()
    {
        using var response = await app.CreateClient().GetAsync("/admin/jobs");
        // TestServer requests have no remote address, which Hangfire's local-only filter refuses.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
