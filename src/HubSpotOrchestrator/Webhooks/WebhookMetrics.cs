using Prometheus;

namespace HubSpotOrchestrator.Webhooks;

internal static class WebhookMetrics
{
    public static readonly Counter EventsReceived = Metrics.CreateCounter("hso_webhook_events_received_total", "HubSpot events accepted into the inbox for the first time.", "source");
    public static readonly Counter EventsDuplicate = Metrics.CreateCounter("hso_webhook_events_duplicate_total", "HubSpot events received again (acknowledged, not processed twice).");
    public static readonly Counter EventsQuarantined = Metrics.CreateCounter("hso_webhook_events_quarantined_total", "Events of verified requests that could not be understood and were kept raw.");
    public static readonly Counter RequestsRejected = Metrics.CreateCounter("hso_webhook_requests_rejected_total", "Webhook requests refused, by reason.", "reason");
    public static readonly Histogram DispatchLatency = Metrics.CreateHistogram(
        "hso_dispatch_latency_seconds",
        "Time from an event's receipt to its routing (runs created or ignored).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });

    public static readonly Counter EventsRouted = Metrics.CreateCounter("hso_events_routed_total", "Events routed, by outcome.", "outcome");
    public static readonly Counter RunsCreated = Metrics.CreateCounter("hso_runs_created_total", "Runs created by routing, by workflow.", "workflow");
}
