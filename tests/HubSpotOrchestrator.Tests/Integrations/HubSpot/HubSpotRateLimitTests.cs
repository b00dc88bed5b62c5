using HubSpotOrchestrator.Integrations.HubSpot;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

public sealed class HubSpotRateLimitTests
{
    private static readonly string[] DealName = ["dealname"];

    [Fact]
    public async Task ThreeHundredCalls_ArePacedAtOneHundredPerTenSeconds_OnTheInjectedClock()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        var limiter = host.Services.GetRequiredService<HubSpotRateLimiters>().General;
        var start = host.Clock.GetUtcNow();
        var step = TimeSpan.FromMilliseconds(100);

        var stamps = await PaceAsync(host, limiter, 300, 100, step, _ => host.Crm.GetAsync("deals", "9002", DealName), r => r.Path.StartsWith("/crm/v3/objects/deals/", StringComparison.Ordinal));

        Assert.Equal(100, stamps.Count(s => s == start));
        AssertAtMost(stamps, 100, TimeSpan.FromSeconds(10) - step);
        Assert.True(stamps[^1] - start >= TimeSpan.FromSeconds(20), $"last call at +{stamps[^1] - start}");
    }

    [Fact]
    public async Task Searches_ArePacedAtFourPerSecond()
    {
        await using var host = await HubSpotTestHost.StartAsync();
        var limiter = host.Services.GetRequiredService<HubSpotRateLimiters>().Search;
        var start = host.Clock.GetUtcNow();
        var step = TimeSpan.FromMilliseconds(50);
        var search = new CrmSearchRequest([[new CrmFilter("dealstage", "EQ", "contractsent")]], DealName);

        var stamps = await PaceAsync(host, limiter, 12, 4, step, _ => host.Crm.SearchAsync("deals", search), r => r.Path.EndsWith("/search", StringComparison.Ordinal));

        Assert.Equal(4, stamps.Count(s => s == start));
        AssertAtMost(stamps, 4, TimeSpan.FromSeconds(1) - step);
        Assert.True(stamps[^1] - start >= TimeSpan.FromSeconds(2), $"last search at +{stamps[^1] - start}");
    }

    [Fact]
    public async Task RateLimitHeaders_BecomeMetrics_AndALowDailyBudgetIsLoggedOnceAnHour()
    {
        await using var host = await HubSpotTestHost.StartAsync(new() { ["HubSpot:DailyBudgetWarningPercent"] = "10" });
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Daily"] = "250000";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Daily-Remaining"] = "200000";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Secondly"] = "10";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Secondly-Remaining"] = "9";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Max"] = "190";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Remaining"] = "187";
        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";

        await host.Crm.GetAsync("deals", "9002", DealName);
        Assert.Equal(0, Warnings(host));

        host.Server.ResponseHeaders["X-HubSpot-RateLimit-Daily-Remaining"] = "20000";
        await host.Crm.GetAsync("deals", "9002", DealName);
        await host.Crm.GetAsync("deals", "9002", DealName);
        Assert.Equal(1, Warnings(host));

        var exported = await Export();
        Assert.Contains("hso_hubspot_ratelimit_daily_remaining 20000", exported, StringComparison.Ordinal);
        Assert.Contains("hso_hubspot_ratelimit_max 190", exported, StringComparison.Ordinal);
        Assert.Contains("hso_hubspot_ratelimit_interval_milliseconds 10000", exported, StringComparison.Ordinal);
        Assert.Contains("hso_hubspot_requests_total{status=\"200\"}", exported, StringComparison.Ordinal);

        host.Clock.Advance(TimeSpan.FromMinutes(61));
        await host.Crm.GetAsync("deals", "9002", DealName);
        Assert.Equal(2, Warnings(host));
    }

    /// <summary>
    /// Starts every call at once, then moves the fake clock in small steps, each time only while the limiter sleeps and
    /// every permit handed out has reached the server; a request's stamp is therefore at most one step later than its permit.
    /// </summary>
    private static async Task<List<DateTimeOffset>> PaceAsync(
        HubSpotTestHost host, SlidingWindowLimiter limiter, int calls, int burst, TimeSpan step, Func<int, Task> call, Func<RecordedRequest, bool> match)
    {
        int Arrived() => host.Server.Requests.Count(match);
        var tasks = Enumerable.Range(0, calls).Select(call).ToList();
        await HubSpotTestHost.WaitUntil(() => limiter.Granted == burst && Arrived() == burst);
        for (var i = 0; i < 100_000 && Arrived() < calls; i++)
        {
            await HubSpotTestHost.WaitUntil(() => Arrived() >= calls || (limiter.IsWaitingForTime && Arrived() >= limiter.Granted));
            host.Clock.Advance(step);
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        return host.Server.Requests.Where(match).Select(r => r.At).Order().ToList();
    }

    private static void AssertAtMost(List<DateTimeOffset> sorted, int limit, TimeSpan window)
    {
        for (var i = 0; i + limit < sorted.Count; i++)
        {
            Assert.True(sorted[i + limit] - sorted[i] >= window, $"{limit + 1} calls within {sorted[i + limit] - sorted[i]} (from call {i})");
        }
    }

    private static int Warnings(HubSpotTestHost host) =>
        host.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("daily API budget", StringComparison.Ordinal));

    private static async Task<string> Export()
    {
        using var stream = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
