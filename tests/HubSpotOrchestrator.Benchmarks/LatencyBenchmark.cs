using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>Target 2: webhook received → run created, at a moderate open-loop rate of single-event requests.</summary>
internal static class LatencyBenchmark
{
    private const double Rate = 20;
    private const double TargetP95Ms = 500;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);

    public static async Task<Section> RunAsync(TextWriter log)
    {
        var section = new Section("2. Webhook received → run created", Method);
        var fixture = JsonNode.Parse(File.ReadAllBytes(RepoPaths.MixedBatch))!.AsArray();

        await using var service = await ServiceUnderTest.StartAsync();
        var singles = fixture.Select(e => new SignedBatchFactory(service.SignedUri, System.Text.Encoding.UTF8.GetBytes(new JsonArray(e!.DeepClone()).ToJsonString()))).ToArray();
        var inbox = service.Service<IInboxStore>();
        var runs = service.Service<IRunStore>();
        var clock = TimeProvider.System;
        using var driver = new LoadDriver(maxConnections: 8);

        var sent = new ConcurrentDictionary<string, DateTime>();
        var observed = new ConcurrentDictionary<string, DateTime>();
        var next = 0;
        HttpRequestMessage NextRequest()
        {
            var factory = singles[Interlocked.Increment(ref next) % singles.Length];
            var body = factory.NextFreshBody(out var eventId);
            var request = factory.Sign(body);
            sent[$"62515:{eventId}"] = clock.GetUtcNow().UtcDateTime;
            return request;
        }

        // Warm-up: the first events JIT the routing path and create Hangfire's tables; not counted.
        for (var i = 0; i < 20; i++)
        {
            await driver.SendOnceAsync(NextRequest());
        }

        await WaitRoutedAsync(inbox, sent.Keys, TimeSpan.FromSeconds(20));
        sent.Clear();

        using var stopPolling = new CancellationTokenSource();
        var poller = Task.Run(() => PollAsync(inbox, sent, observed, clock, stopPolling.Token));
        var load = await driver.OpenLoopAsync(Rate, Duration, NextRequest);
        await WaitRoutedAsync(inbox, sent.Keys, TimeSpan.FromSeconds(30));
        await stopPolling.CancelAsync();
        await poller;

        var toRun = new List<double>();
        var toRunObserved = new List<double>();
        var toDecision = new List<double>();
        var receivedToRouted = new List<double>();
        var unfinished = 0;
        foreach (var (id, at) in sent)
        {
            var e = inbox.Find(id);
            if (e is null || e.RoutedAt is null || !observed.TryGetValue(id, out var seen))
            {
                unfinished++;
                continue;
            }

            toDecision.Add((seen - at).TotalMilliseconds);
            receivedToRouted.Add((e.RoutedAt.Value - e.ReceivedAt).TotalMilliseconds);
            if (e.RunIds.Count > 0 && runs.Get(e.RunIds[0]) is { } run)
            {
                toRun.Add((run.CreatedAt - at).TotalMilliseconds);
                toRunObserved.Add((seen - at).TotalMilliseconds);
            }
        }

        var created = new LatencyStats(toRun);
        var createdObserved = new LatencyStats(toRunObserved);
        log.WriteLine($"sent {sent.Count}, runs {created.Count}; send→run visible: {createdObserved.Summary()}; send→CreatedAt: {created.Summary()}");
        section.Add("Requests sent / failed", $"{load.Requests} / {load.Failures} ({load.RequestsPerSecond:F1} req/s for {Duration.TotalSeconds:F0} s){(load.FirstFailure is null ? "" : "; " + load.FirstFailure)}");
        section.Add("Events that created a run / routed without a run (no rule matched) / not finished", $"{created.Count} / {toDecision.Count - created.Count} / {unfinished}");
        section.Add("Send → run visible in the store (polled every 5 ms)", createdObserved.Summary(), $"p95 ≤ {TargetP95Ms} ms", createdObserved.Count > 0 && unfinished == 0 && createdObserved.Percentile(95) <= TargetP95Ms);
        section.Add("Send → Run.CreatedAt (stamped by the routing job)", created.Summary());
        section.Add("Send → routing decision visible, all events (runs and no-match)", new LatencyStats(toDecision).Summary());
        section.Add("InboxEvent.ReceivedAt → RoutedAt (service clock only)", new LatencyStats(receivedToRouted).Summary());
        section.Add("HTTP answer (send → 200, from scheduled send)", load.Latency.Summary());
        return section;
    }

    private const string Method = """
        A fresh service; single-event signed requests (each of the fixture's 100 events in turn, fresh `eventId` each time)
        sent open-loop at 20 requests/s for 30 s after 20 warm-up events. The driver notes the send time (UTC, the same
        `TimeProvider.System` clock the service stamps with, same process) just before each request. A poller reads the
        inbox every 5 ms and notes when each event becomes Routed/Ignored — the routing job marks an event Routed only after
        its runs are inserted, so that moment is an upper bound (+≤ 5 ms) for "run visible". `Run.CreatedAt` is stamped by
        the routing job when it starts routing the event, slightly before the insert, so it is a lower bound. The path
        measured: HTTP → verify → LiteDB inbox → in-process dispatcher → Hangfire (SQLite storage, `Jobs:QueuePollInterval`
        100 ms default) → RoutingJob → RulesEngine → Run (Pending).
        """;

    private static async Task PollAsync(IInboxStore inbox, ConcurrentDictionary<string, DateTime> sent, ConcurrentDictionary<string, DateTime> observed, TimeProvider clock, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var id in sent.Keys)
            {
                if (!observed.ContainsKey(id) && inbox.Find(id)?.Status is InboxStatus.Routed or InboxStatus.Ignored)
                {
                    observed[id] = clock.GetUtcNow().UtcDateTime;
                }
            }

            try
            {
                await Task.Delay(PollEvery, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitRoutedAsync(IInboxStore inbox, ICollection<string> ids, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && ids.Any(id => inbox.Find(id)?.Status is not (InboxStatus.Routed or InboxStatus.Ignored)))
        {
            await Task.Delay(50);
        }
    }
}
