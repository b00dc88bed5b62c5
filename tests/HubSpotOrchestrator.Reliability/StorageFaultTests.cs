using System.Diagnostics;

namespace HubSpotOrchestrator.Reliability;

/// <summary>
/// Storage faults under the running service: the data folder's disk fills up, or the database files become read-only.
/// While the fault lasts a webhook must be answered 503 with Retry-After (so HubSpot delivers it again) — never 500,
/// never 2xx without being stored; nothing acknowledged before or during the fault may be lost; once the fault clears the
/// same process (no restart) must accept and route again within <see cref="ReliabilityProfile.FaultRecoveryDeadline"/>.
/// </summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    private static readonly ReliabilityProfile Profile = ReliabilityProfile.Current;

    [Fact]
    public async Task Disk_full_answers_503_with_Retry_After_loses_nothing_and_recovers_without_a_restart()
    {
        await using var disk = await TmpfsMount.CreateAsync("disk-full", "24m");
        await RunAsync("storage-disk-full", disk.Path, new Fault(
            $"the data folder's tmpfs ({disk.Path}, 24 MiB) filled to the last byte",
            _ =>
            {
                var written = disk.Fill();
                return Task.FromResult($"filled {written / 1024} KiB, {disk.FreeBytes} bytes free");
            },
            () =>
            {
                disk.Free();
                return Task.FromResult($"filler deleted, {disk.FreeBytes / 1024} KiB free");
            }));
    }

    [Fact]
    public async Task Read_only_database_answers_503_with_Retry_After_loses_nothing_and_recovers_without_a_restart()
    {
        using var data = new TempFolder("read-only");
        ReadOnlyFault? fault = null;
        try
        {
            await RunAsync("storage-read-only", data.Path, new Fault(
                "the LiteDB files (orchestrator.db and its -log.db journal) read-only: every write, flush and truncate fails with EROFS",
                async service =>
                {
                    var db = Path.Combine(data.Path, "orchestrator.db");
                    fault = await ReadOnlyFault.StartAsync(service.Pid!.Value, [db, Path.Combine(data.Path, "orchestrator-log.db")],
                        Path.Combine(RunOutput.For("storage-read-only"), $"strace-{DateTime.UtcNow:HHmmss}.log"));
                    return "strace attached, injecting EROFS";
                },
                async () =>
                {
                    await fault!.DisposeAsync();
                    fault = null;
                    return "strace detached";
                }));
        }
        finally
        {
            if (fault is not null)
            {
                await fault.DisposeAsync();
            }
        }
    }

    private sealed record Fault(string What, Func<ServiceProcess, Task<string>> Apply, Func<Task<string>> Clear);

    private async Task RunAsync(string name, string dataDir, Fault fault)
    {
        var folder = RunOutput.For(name);
        var chance = new Chance(Profile.Seed);
        var report = new TestLog(output, folder);
        void Log(string line) => report.Line(line);

        Log(Profile.ToString());
        await using var service = new ServiceProcess(dataDir, Path.Combine(folder, "service.log"));
        var token = await service.MintTokenAsync(Approver.User, "approver");
        using var api = new OrchestratorApi(() => service.BaseUrl, token);
        using var http = Ledger.NewClient(TimeSpan.FromSeconds(10));
        var ledger = new Ledger();
        var checker = new StateChecker(api, ledger);
        var batches = new WebhookBatches(null, chance);
        Log($"fault: {fault.What}; data folder {dataDir}; service log {service.LogPath}");
        var live = await service.StartAsync();
        var pid = service.Pid;
        Log($"service live after {live.TotalSeconds:0.0} s, pid {pid}");

        var problems = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var answer = await Deliver(batches.Next(0));
            if (!answer.IsSuccess)
            {
                problems.Add($"before any fault, a webhook was answered {answer.Label}: {answer.Body}");
                break;
            }
        }

        if (problems.Count == 0 && await WaitRoutedAsync("before the fault") is { } notRouted)
        {
            problems.Add(notRouted);
        }

        for (var cycle = 1; cycle <= Profile.FaultCycles && problems.Count == 0; cycle++)
        {
            service.Note($"==== fault {cycle} on at {DateTime.UtcNow:HH:mm:ss.fff}: {fault.What}");
            Log($"cycle {cycle}: fault on: {await fault.Apply(service)}");

            // During the fault: new batches, one at a time, until the service has refused five (or clearly never will).
            var refused = new List<WebhookBatch>();
            var during = new Dictionary<string, int>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            var sent = 0;
            while (refused.Count < 5 && sent < 400 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var batch = batches.Next(0);
                var answer = await Deliver(batch);
                sent++;
                during[answer.Label] = during.GetValueOrDefault(answer.Label) + 1;
                if (!answer.IsSuccess)
                {
                    refused.Add(batch);
                }
            }

            var ready = await api.GetStatusAsync("/health/ready").ContinueWith(t => t.IsCompletedSuccessfully ? ((int)t.Result).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer", TaskScheduler.Default);
            Log($"cycle {cycle}: during the fault {sent} webhooks in {clock.Elapsed.TotalSeconds:0.0} s answered {Summary(during)}; /health/ready {ready}");
            if (refused.Count == 0)
            {
                problems.Add($"cycle {cycle}: the fault never surfaced: all {sent} webhooks sent during it were answered 2xx");
            }

            var wrong = during.Where(a => !a.Key.StartsWith('2') && !a.Key.StartsWith("503 Retry-After", StringComparison.Ordinal)).ToList();
            if (wrong.Count > 0)
            {
                problems.Add($"cycle {cycle}: during the fault webhooks were answered {Summary(wrong)} instead of 503 with Retry-After");
            }

            if (!service.IsRunning || during.Keys.Any(k => !char.IsAsciiDigit(k[0])))
            {
                // Refused or dropped connections: the process may be dying (an unhandled exception aborts it), give it a moment.
                await Poll.UntilAsync(() => Task.FromResult(service.UnexpectedExit is not null), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50));
            }

            if (service.UnexpectedExit is { } died)
            {
                problems.Add($"cycle {cycle}: the service process died during the fault: {died}");
                Log($"cycle {cycle}: fault off: {await fault.Clear()}; not waiting for a recovery: the process is gone");
                break;
            }

            Log($"cycle {cycle}: fault off: {await fault.Clear()}");
            service.Note($"==== fault {cycle} off at {DateTime.UtcNow:HH:mm:ss.fff}");

            // Recovery, without a restart: a new batch every half second until one is accepted.
            var sinceClear = Stopwatch.StartNew();
            var after = new Dictionary<string, int>(StringComparer.Ordinal);
            TimeSpan? recoveredAfter = null;
            while (sinceClear.Elapsed < Profile.FaultRecoveryDeadline)
            {
                var answer = await Deliver(batches.Next(0));
                after[answer.Label] = after.GetValueOrDefault(answer.Label) + 1;
                if (answer.IsSuccess)
                {
                    recoveredAfter = sinceClear.Elapsed;
                    break;
                }

                await Task.Delay(500);
            }

            Log($"cycle {cycle}: after the fault cleared: {Summary(after)}; "
                + (recoveredAfter is { } r ? $"accepting again after {r.TotalSeconds:0.0} s" : $"still not accepting after {Profile.FaultRecoveryDeadline.TotalSeconds:0} s"));
            if (recoveredAfter is null)
            {
                problems.Add($"cycle {cycle}: no webhook accepted within {Profile.FaultRecoveryDeadline.TotalSeconds:0} s after the fault cleared (answers: {Summary(after)})");
                break;
            }

            // HubSpot delivers the refused batches again: now they must be accepted.
            var redelivered = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var batch in refused.Concat(ledger.Unacknowledged).Distinct())
            {
                var answer = await Deliver(batch);
                redelivered[answer.Label] = redelivered.GetValueOrDefault(answer.Label) + 1;
            }

            Log($"cycle {cycle}: refused batches delivered again: {Summary(redelivered)}");
            if (ledger.Unacknowledged.Any())
            {
                problems.Add($"cycle {cycle}: {ledger.Unacknowledged.Count()} refused batches were refused again after recovery ({Summary(redelivered)})");
            }

            if (await WaitRoutedAsync($"after fault {cycle}") is { } stuck)
            {
                problems.Add(stuck);
            }
        }

        if (service.Pid != pid && service.UnexpectedExit is { } exit && !problems.Any(p => p.Contains(exit, StringComparison.Ordinal)))
        {
            problems.Add($"the service process did not survive: {exit}");
        }

        var stopped = await service.StopAsync();
        Log($"webhook answers overall: {ledger.AnswerSummary()}; graceful stop: {(service.UnexpectedExit is not null ? "nothing to stop" : stopped ? "exited" : "had to be killed")}");
        Assert.True(problems.Count == 0, $"{string.Join("\n", problems)}\n{report}\nService log {service.LogPath}, last lines:\n{service.Tail(40)}");

        async Task<DeliveryAnswer> Deliver(WebhookBatch batch)
        {
            if (!ledger.Batches.Contains(batch))
            {
                ledger.Add(batch);
            }

            return await ledger.DeliverAsync(http, service.WebhookUrl, batch);
        }

        // Every acknowledged event stored and routed (Routed or Ignored) within 30 s; null when so, else what is wrong.
        async Task<string?> WaitRoutedAsync(string when)
        {
            RecoveryState? state = null;
            var clock = Stopwatch.StartNew();
            var settled = await Poll.UntilAsync(async () =>
            {
                try
                {
                    state = await checker.CheckEventsAsync();
                    return state.Lost.Count == 0 && state.UnroutedCount == 0;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            Log($"{when}: {ledger.AcknowledgedCount} acknowledged events " + (settled ? $"all stored and routed ({clock.Elapsed.TotalSeconds:0.0} s)" : "NOT all stored and routed within 30 s"));
            return settled ? null : $"{when}: acknowledged events not stored and routed within 30 s:\n{state?.Describe() ?? "(the API never answered)"}";
        }
    }

    private static string Summary(IEnumerable<KeyValuePair<string, int>> answers) =>
        string.Join(", ", answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} ×{a.Value}"));
}
