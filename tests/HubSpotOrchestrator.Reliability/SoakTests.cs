using System.Diagnostics;
using System.Globalization;

namespace HubSpotOrchestrator.Reliability;

/// <summary>
/// Steady mixed load (signed webhook batches, approvals clicked through the API, API and health reads) for
/// <see cref="ReliabilityProfile.SoakDuration"/>, sampling the service's RSS and the data folder's size. The first half
/// is warm-up; over the second half a least-squares line through each series must stay below the profile's slope
/// limit (MB per minute), i.e. memory and store are flat. Samples go to soak/samples.csv in the run's output folder.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly ReliabilityProfile Profile = ReliabilityProfile.Current;

    [Fact]
    public async Task Steady_mixed_load_keeps_memory_and_store_flat_after_warm_up()
    {
        var folder = RunOutput.For("soak");
        var chance = new Chance(Profile.Seed);
        var report = new TestLog(output, folder);
        void Log(string line) => report.Line(line);

        Log(Profile.ToString());
        await using var hubspot = await FakeHubSpotServer.StartAsync();
        hubspot.DefineProperties("deals", FakeHubSpotServer.ProcurementDealProperties);
        using var data = new TempFolder("soak");
        var settings = new Dictionary<string, string?>(hubspot.Settings())
        {
            ["HubSpot:RequestsPer10Seconds"] = "10000",

            // Retention at soak scale: routed events and delivered prompts older than 5 minutes go, every minute (events
            // are confirmed routed within seconds, so none is counted lost). Runs stay: the final check needs one per deal.
            ["Retention:Events"] = "00:05:00",
            ["Retention:DeliveredPrompts"] = "00:05:00",
            ["Retention:Cron"] = "* * * * *",
        };
        await using var service = new ServiceProcess(data.Path, Path.Combine(folder, "service.log"), settings);
        var token = await service.MintTokenAsync(Approver.User, "approver");
        using var api = new OrchestratorApi(() => service.BaseUrl, token);
        var ledger = new Ledger();
        var checker = new StateChecker(api, ledger);
        await using var load = new WebhookLoad(() => service.WebhookUrl, new WebhookBatches(hubspot, chance), ledger, chance) { ProcurementDealsPerBatch = 1 };
        await using var approver = new Approver(api, chance, TimeSpan.FromSeconds(1));

        var live = await service.StartAsync();
        Log($"service live after {live.TotalSeconds:0.0} s (pid {service.Pid}); log {service.LogPath}; data {data.Path}");
        var sampler = new ResourceSampler();
        var clock = Stopwatch.StartNew();
        sampler.Take(0, service, 0, 0);
        load.StartRate(Profile.SoakBatchesPerSecond);
        approver.Start();
        using var stop = new CancellationTokenSource();
        var reads = new Dictionary<string, int>(StringComparer.Ordinal);
        var readers = Task.Run(() => ReadAsync(api, reads, stop.Token));
        var confirming = Task.Run(() => ConfirmAsync(checker, stop.Token));

        for (var n = 1; clock.Elapsed < Profile.SoakDuration; n++)
        {
            var wait = (Profile.SoakSampleEvery * n) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (!service.IsRunning)
            {
                break;
            }

            var sample = sampler.Take(clock.Elapsed.TotalSeconds, service, ledger.AcknowledgedCount, Failed(ledger));
            if (n % Math.Max(1, (int)(60 / Profile.SoakSampleEvery.TotalSeconds)) == 0)
            {
                Log($"+{sample.Seconds:0} s: RSS {Mb(sample.RssBytes)} MB, store {Mb(sample.StoreBytes)} MB, {sample.AcknowledgedEvents} events acknowledged, {approver.Decided} approvals decided");
            }
        }

        var running = service.IsRunning;
        await load.StopNewBatches();
        await stop.CancelAsync();
        await readers;
        await confirming;
        var loadTime = clock.Elapsed;

        // The backlog must drain: every acknowledged event routed, every procurement run finished, within 30 s.
        RecoveryState? state = null;
        var drained = running && await Poll.UntilAsync(async () =>
        {
            try
            {
                state = await checker.CheckAsync();
                return state.Settled;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        await approver.StopAsync();
        var writes = HubSpotWrites.Count(hubspot);
        await service.StopAsync();

        var half = Profile.SoakDuration.TotalSeconds / 2;
        var rssSlope = sampler.MedianSlopeMbPerMinute(half, s => s.RssBytes);
        var storeSlope = sampler.MedianSlopeMbPerMinute(half, s => s.StoreBytes);
        var rssLeastSquares = sampler.SlopeMbPerMinute(half, s => s.RssBytes);
        var storeLeastSquares = sampler.SlopeMbPerMinute(half, s => s.StoreBytes);
        var rssWhole = sampler.MedianSlopeMbPerMinute(0, s => s.RssBytes);
        var files = sampler.Samples[^1].Files.Keys.Order(StringComparer.Ordinal)
            .Where(f => sampler.Samples[^1].Files[f] > 64 * 1024)
            .Select(f => $"{f} {sampler.MedianSlopeMbPerMinute(half, s => s.Files.GetValueOrDefault(f)):+0.00;-0.00} MB/min ({Mb(sampler.Samples[^1].Files[f])} MB)")
            .ToList();
        var first = sampler.Samples.First(s => s.Seconds >= half);
        var last = sampler.Samples[^1];
        var eventsPerMinute = (last.AcknowledgedEvents - first.AcknowledgedEvents) / Math.Max(1e-9, (last.Seconds - first.Seconds) / 60);
        await File.WriteAllTextAsync(Path.Combine(folder, "samples.csv"), sampler.ToCsv());

        Log($"load {loadTime.TotalSeconds:0} s: {ledger.Batches.Count} batches, {ledger.AcknowledgedCount} events acknowledged ({eventsPerMinute:0} per minute in the second half); "
            + $"webhook answers: {ledger.AnswerSummary()}; approvals: {approver.AnswerSummary()}; reads: {string.Join(", ", reads.Select(r => $"{r.Key} ×{r.Value}"))}");
        Log($"RSS: {Mb(sampler.Samples[0].RssBytes)} MB at start, {Mb(first.RssBytes)} MB at {first.Seconds:0} s, {Mb(last.RssBytes)} MB at the end, max {Mb(sampler.Samples.Max(s => s.RssBytes))} MB; "
            + $"slope over the second half {rssSlope:+0.00;-0.00} MB/min (Theil–Sen; least squares {rssLeastSquares:+0.00;-0.00}; limit {Profile.RssSlopeLimitMbPerMinute} MB/min; whole run {rssWhole:+0.00;-0.00} MB/min)");
        Log($"store: {Mb(sampler.Samples[0].StoreBytes)} MB at start, {Mb(first.StoreBytes)} MB at {first.Seconds:0} s, {Mb(last.StoreBytes)} MB at the end; "
            + $"slope over the second half {storeSlope:+0.00;-0.00} MB/min (Theil–Sen; least squares {storeLeastSquares:+0.00;-0.00}; limit {Profile.StoreSlopeLimitMbPerMinute} MB/min) = {storeSlope * 1024 * 1024 / Math.Max(1, eventsPerMinute):0} bytes per event acknowledged; by file: {string.Join("; ", files)}");
        Log($"after the load: {(drained ? "everything routed and finished" : "NOT drained within 30 s: " + state?.OneLine())}; HubSpot writes: {writes.Summary()}");
        Log($"samples: {Path.Combine(folder, "samples.csv")}");

        var problems = new List<string>();
        if (!running)
        {
            problems.Add("the service exited during the soak");
        }

        if (!(rssSlope <= Profile.RssSlopeLimitMbPerMinute))
        {
            problems.Add($"memory is not flat after warm-up: RSS grows {rssSlope:0.00} MB/min over the second half (limit {Profile.RssSlopeLimitMbPerMinute} MB/min)");
        }

        if (!(storeSlope <= Profile.StoreSlopeLimitMbPerMinute))
        {
            problems.Add($"the store grows without bound: {storeSlope:0.00} MB/min over the second half (limit {Profile.StoreSlopeLimitMbPerMinute} MB/min), "
                + $"{storeSlope * 60 * 24 / 1024:0.0} GB a day at this load; by file: {string.Join("; ", files)}. Nothing removes old events, runs or jobs: a retention/compaction policy should hold it flat");
        }

        if (Failed(ledger) > 0)
        {
            problems.Add($"{Failed(ledger)} webhook deliveries were not acknowledged under steady load ({ledger.AnswerSummary()})");
        }

        if (!drained)
        {
            problems.Add($"the backlog did not drain within 30 s of the load stopping:\n{state?.Describe()}");
        }

        if (writes.Duplicates.Count > 0)
        {
            problems.Add($"duplicate HubSpot writes: {string.Join("; ", writes.Duplicates.Take(5))}");
        }

        Assert.True(problems.Count == 0, $"{string.Join("\n", problems)}\n{report}\nService log {service.LogPath}, last lines:\n{service.Tail(30)}");
    }

    private static int Failed(Ledger ledger) => ledger.Answers.Where(a => !a.Key.StartsWith('2')).Sum(a => a.Value);

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>API and health reads, about four a second, as an operator console and a monitor would make.</summary>
    private static async Task ReadAsync(OrchestratorApi api, Dictionary<string, int> counts, CancellationToken ct)
    {
        string[] paths = ["/api/runs?pageSize=20", "/api/approvals?status=Pending&limit=20", "/health/ready", "/metrics", "/api/runs?workflow=ProcurementApproval&status=Succeeded&pageSize=10"];
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            string label;
            try
            {
                label = ((int)await api.GetStatusAsync(paths[i % paths.Length], ct)).ToString(CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                label = "no answer";
            }

            lock (counts)
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }

            try
            {
                await Task.Delay(250, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Confirms acknowledged events as they get routed (GET /api/events/{id}), so the final check has little left.</summary>
    private static async Task ConfirmAsync(StateChecker checker, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await checker.ConfirmEventsAsync(TimeSpan.FromSeconds(5), 5000, ct);
                await Task.Delay(2000, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(1000, CancellationToken.None);
            }
        }
    }
}
