using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

public sealed class HubSpotResilienceTests
{
    private const string DealPath = "/crm/v3/objects/deals/9002";

    private static readonly string[] DealName = ["dealname"];

    private static readonly Dictionary<string, string> RetryAfter7 = new() { ["Retry-After"] = "7" };

    [Fact]
    public async Task Status429_IsRetriedAfterRetryAfter_OnTheInjectedClock()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        host.Server.Enqueue(new("GET", DealPath, 429, """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}""", RetryAfter7));

        var deal = await host.Drive(host.Crm.GetAsync("deals", "9002", DealName), TimeSpan.FromMilliseconds(500));

        Assert.Equal("9002", deal.Id);
        var attempts = host.Server.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(7), $"retried after {attempts[1].At - attempts[0].At}");
    }

    [Fact]
    public async Task Status500_ThenSuccess_ReturnsTheRecord()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        host.Server.Enqueue(new("GET", DealPath, 500, """{"status":"error","message":"internal error"}"""));

        var deal = await host.Drive(host.Crm.GetAsync("deals", "9002", DealName), TimeSpan.FromMilliseconds(250));

        Assert.Equal("Acme Corp — Enterprise renewal", deal["dealname"]);
        Assert.Equal(2, host.Server.Count("GET", DealPath));
    }

    [Fact]
    public async Task Status429_ThrowsTransientWithRetryAfter_WhenRetriesAreExhausted()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:MaxRetries"] = "2" });
        for (var i = 0; i < 3; i++)
        {
            host.Server.Enqueue(new("GET", DealPath, 429, """{"status":"error","message":"limit"}""", RetryAfter7));
        }

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Drive(host.Crm.GetAsync("deals", "9002", DealName), TimeSpan.FromSeconds(1)));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal(3, host.Server.Count("GET", DealPath));
    }

    [Fact]
    public async Task Status429_IsHandedToTheRunEngine_WhenRetryAfterIsLongerThanMaxRetryAfter()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:MaxRetryAfter"] = "00:01:00" });
        host.Server.Enqueue(new("GET", DealPath, 429, """{"status":"error","message":"daily limit","policyName":"DAILY"}""", new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Single(host.Server.Requests);
    }

    [Fact]
    public async Task Timeout_IsRetried_OnTheInjectedClock()
    {
        // No backoff, so the only clock movement needed is the 5 s that times the hanging attempt out.
        await using var host = await HubSpotTestHost.StartAsync(new()
        {
            ["HubSpot:RequestTimeout"] = "00:00:05", ["HubSpot:MaxRetries"] = "1", ["HubSpot:RetryBaseDelay"] = "00:00:00",
        });
        host.Server.Enqueue(new("GET", DealPath, 200, Hang: true));

        var call = host.Crm.GetAsync("deals", "9002", DealName);
        await HubSpotTestHost.WaitUntil(() => host.Server.Count("GET", DealPath) == 1);
        Assert.False(call.IsCompleted);
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        var deal = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("9002", deal.Id);
        Assert.Equal(2, host.Server.Count("GET", DealPath));
    }

    [Fact]
    public async Task Timeout_ThrowsTransient_WhenRetriesAreExhausted()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:RequestTimeout"] = "00:00:05", ["HubSpot:MaxRetries"] = "0" });
        host.Server.Enqueue(new("GET", DealPath, 200, Hang: true));

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Drive(host.Crm.GetAsync("deals", "9002", DealName), TimeSpan.FromSeconds(1)));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Contains("GET /crm/v3/objects/deals/9002", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 5 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJson_ThrowsAnErrorNamingTheEndpoint()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        host.Server.Enqueue(new("GET", DealPath, 200, """{"id":"9002","properties":{"dealname":"Acme"""));

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName));

        Assert.Equal(FailureKind.Permanent, ex.Kind);
        Assert.Contains("malformed JSON for GET /crm/v3/objects/deals/9002", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status401_ThrowsConfigurationNamingTheSetting_WithoutRetrying()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:AccessToken"] = "pat-na1-revoked" });

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName));

        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("HubSpot:AccessToken", ex.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("pat-na1-revoked", ex.Message + ex.Fix, StringComparison.Ordinal);
        Assert.Single(host.Server.Requests);
    }

    [Fact]
    public async Task Status403_ThrowsConfigurationMentioningScopes()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        host.Server.Enqueue(new("PATCH", DealPath, 403, """{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES"}"""));

        var ex = await Assert.ThrowsAsync<IntegrationException>(() =>
            host.Crm.UpdateAsync("deals", "9002", new Dictionary<string, string?> { ["dealstage"] = "closedwon" }));

        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains("required scopes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scopes", ex.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CircuitBreaker_StopsCallingHubSpot_AfterRepeatedServerErrors()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:MaxRetries"] = "0" });
        for (var i = 0; i < 25; i++)
        {
            host.Server.Enqueue(new("GET", DealPath, 503, """{"status":"error","message":"unavailable"}"""));
        }

        var failures = new List<IntegrationException>();
        for (var i = 0; i < 25; i++)
        {
            failures.Add(await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName)));
        }

        Assert.All(failures, f => Assert.Equal(FailureKind.Transient, f.Kind));
        Assert.Equal(20, host.Server.Count("GET", DealPath));
        Assert.Contains("circuit open", failures[^1].Message, StringComparison.Ordinal);
        Assert.NotNull(failures[^1].RetryAfter);
    }
}
