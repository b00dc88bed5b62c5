using System.Globalization;
using Prometheus;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Reads HubSpot's X-HubSpot-RateLimit-* response headers into hso_hubspot_* gauges and warns when the daily
/// budget runs low (at most once an hour, so a busy day does not flood the log).
/// </summary>
internal sealed class HubSpotRateLimitMonitor(HubSpotCrmOptions options, TimeProvider time, ILogger<HubSpotRateLimitMonitor> logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromHours(1);

    private static readonly (string Header, Gauge Gauge)[] HeaderGauges =
    [
        ("X-HubSpot-RateLimit-Daily", Metrics.CreateGauge("hso_hubspot_ratelimit_daily", "HubSpot daily API call limit (X-HubSpot-RateLimit-Daily).")),
        ("X-HubSpot-RateLimit-Daily-Remaining", Metrics.CreateGauge("hso_hubspot_ratelimit_daily_remaining", "HubSpot API calls left today (X-HubSpot-RateLimit-Daily-Remaining).")),
        ("X-HubSpot-RateLimit-Secondly", Metrics.CreateGauge("hso_hubspot_ratelimit_secondly", "HubSpot per-second limit (X-HubSpot-RateLimit-Secondly).")),
        ("X-HubSpot-RateLimit-Secondly-Remaining", Metrics.CreateGauge("hso_hubspot_ratelimit_secondly_remaining", "HubSpot calls left this second (X-HubSpot-RateLimit-Secondly-Remaining).")),
        ("X-HubSpot-RateLimit-Max", Metrics.CreateGauge("hso_hubspot_ratelimit_max", "HubSpot burst limit per interval (X-HubSpot-RateLimit-Max).")),
        ("X-HubSpot-RateLimit-Remaining", Metrics.CreateGauge("hso_hubspot_ratelimit_remaining", "HubSpot calls left in the current interval (X-HubSpot-RateLimit-Remaining).")),
        ("X-HubSpot-RateLimit-Interval-Milliseconds", Metrics.CreateGauge("hso_hubspot_ratelimit_interval_milliseconds", "HubSpot burst interval (X-HubSpot-RateLimit-Interval-Milliseconds).")),
    ];

    internal static readonly Counter Requests = Metrics.CreateCounter(
        "hso_hubspot_requests_total", "HubSpot API attempts by HTTP status (or 'error' when no response arrived).", "status");

    internal static readonly Counter Retries = Metrics.CreateCounter("hso_hubspot_retries_total", "HubSpot API attempts that were retried.");

    private long _lastWarningTicks = long.MinValue;

    public void Observe(HttpResponseMessage response)
    {
        Requests.WithLabels(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)).Inc();
        double? daily = null, dailyRemaining = null;
        foreach (var (header, gauge) in HeaderGauges)
        {
            if (TryRead(response, header) is not { } value)
            {
                continue;
            }

            gauge.Set(value);
            if (header == "X-HubSpot-RateLimit-Daily")
            {
                daily = value;
            }
            else if (header == "X-HubSpot-RateLimit-Daily-Remaining")
            {
                dailyRemaining = value;
            }
        }

        if (daily is > 0 && dailyRemaining is { } remaining)
        {
            WarnIfLow(remaining, daily.Value);
        }
    }

    private void WarnIfLow(double remaining, double daily)
    {
        var percent = remaining * 100 / daily;
        if (percent >= options.DailyBudgetWarningPercent)
        {
            return;
        }

        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (last != long.MinValue && now - last < WarningInterval.Ticks)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            logger.LogWarning(
                "HubSpot daily API budget is running low: {Remaining} of {Daily} calls left ({Percent:F1} %, warning below {Threshold} %)",
                remaining, daily, percent, options.DailyBudgetWarningPercent);
        }
    }

    private static double? TryRead(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
