using System.Diagnostics;
using System.Globalization;

namespace HubSpotOrchestrator.Reliability;

/// <summary>
/// kill -9 of the real service at random points, under webhook load and while approvals are being clicked, then a
/// restart on the same data folder. Checked through the API afterwards: nothing acknowledged is lost, nothing is stuck
/// <see cref="ReliabilityProfile.RecoveryDeadline"/> after the last restart, no run and no HubSpot write happens twice.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly ReliabilityProfile Profile = ReliabilityProfile.Current;

    [Fact]
    public async Task Kill9_under_load_and_approvals_loses_nothing_duplicates_nothing_and_recovers_within_the_deadline()
    {
        var folder = RunOutput.For("crash");
        var chance = new Chance(Profile.Seed);
        var report = new TestLog(output, folder);
        void Log(string line) => report.Line(line);

        Log(Profile.ToString());
        await using var hubspot = await FakeHubSpotServer.StartAsync();
        hubspot.DefineProperties("deals", FakeHubSpotServer.ProcurementDealProperties);
        using var data = new TempFolder("crash");
        var settings = new Dictionary<string, string?>(hubspot.Settings())
        {
            // The loopback HubSpot has no rate limit; the client's default pacing (100 requests/10 s) would make the
            // procurement runs wait for budget rather than exercise recovery.
            ["HubSpot:RequestsPer10Seconds"] = "10000",
        };
        await using var service = new ServiceProcess(data.Path, Path.Combine(folder, "service.log"), settings);
        Log($"service log: {service.LogPath}; data folder: {data.Path}");

        var token = await service.MintTokenAsync(Approver.User, "approver");
        using var api = new OrchestratorApi(() => service.BaseUrl, token);
        var ledger = new Ledger();
        var checker = new StateChecker(api, ledger);
        await using var load = new WebhookLoad(() => service.WebhookUrl, new WebhookBatches(hubspot, chance), ledger, chance) { ProcurementDealsPerBatch = Profile.ProcurementDealsPerBatch };
        await using var approver = new Approver(api, chance, TimeSpan.FromMilliseconds(300));

        var ready = await service.StartAsync();
        Log($"start #1 live after {ready.TotalSeconds:0.0} s on {service.BaseUrl}");
        load.StartClosedLoop(Profile.Senders, Profile.SenderPauseMin, Profile.SenderPauseMax);
        approver.Start();
        using var confirmer = new CancellationTokenSource();
        var confirming = Task.Run(() => ConfirmWhileRunningAsync(checker, confirmer.Token));

        var crashes = new List<string>();
        var timeline = new List<string> { "kill,mode,uptime_s,acknowledged_events,approvals_decided,restart_live_s" };
        // The recovery clock starts when the restarted service answers /health/live again; how long that took is reported apart.
        var lastRestart = Stopwatch.StartNew();
        var lastStartup = TimeSpan.Zero;
        try
        {
            for (var kill = 1; kill <= Profile.Kills; kill++)
            {
                var uptime = Stopwatch.StartNew();
                var mode = (kill % 3) switch { 0 => "after an approval click", 1 => "random", _ => "early (recovery under way)" };
                if (kill % 3 == 0)
                {
                    var click = approver.NextDecisionAsync();
                    await Task.WhenAny(click, Task.Delay(Profile.KillAfterMax));
                    await Task.Delay(chance.Between(TimeSpan.Zero, TimeSpan.FromMilliseconds(300)));
                    mode = click.IsCompleted ? mode : "random (no click came)";
                }
                else
                {
                    var after = kill % 3 == 2 ? chance.Between(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)) : chance.Between(Profile.KillAfterMin, Profile.KillAfterMax);
                    await Task.Delay(after);
                }

                if (service.UnexpectedExit is { } died)
                {
                    crashes.Add($"before kill {kill}: {died}");
                    Log($"the service died by itself before kill {kill}: {died}");
                }

                service.Kill();
                var at = uptime.Elapsed;
                var acknowledged = ledger.AcknowledgedCount;
                var decided = approver.Decided;
                await Task.Delay(chance.Between(TimeSpan.Zero, TimeSpan.FromMilliseconds(800)));
                if (kill == Profile.Kills)
                {
                    await load.StopNewBatches(); // the last restart gets the batches in flight at the kill, nothing new
                }

                var live = await service.StartAsync();
                lastRestart.Restart();
                lastStartup = live;
                Log($"kill {kill}/{Profile.Kills} ({mode}) after {at.TotalSeconds:0.0} s up; {acknowledged} events acknowledged so far, "
                    + $"{decided} approvals decided; restart #{service.Starts} live after {live.TotalSeconds:0.0} s");
                timeline.Add(string.Join(',', kill, mode, F(at.TotalSeconds), acknowledged, decided, F(live.TotalSeconds)));
            }

            if (Profile.Kills == 0)
            {
                // RELIABILITY_KILLS=0: the same load and checks without a kill, to see the checks pass on a healthy run.
                await Task.Delay(Profile.KillAfterMax * 2);
                await load.StopNewBatches();
                lastRestart.Restart();
            }

            // After the last restart: deliver what was in flight at the kill, keep approving, watch everything settle.
            var left = await load.FlushAsync(TimeSpan.FromSeconds(15));
            Log($"load stopped: {ledger.Batches.Count} batches, {ledger.AcknowledgedCount} events acknowledged, {left} batches never acknowledged; answers: {ledger.AnswerSummary()}");
            await confirmer.CancelAsync();
            await confirming;

            RecoveryState? atDeadline = null;
            var deadlineCheck = "";
            RecoveryState? state = null;
            TimeSpan? recovered = null;
            var watchUntil = Profile.RecoveryDeadline + Profile.RecoveryWatch;
            while (true)
            {
                var started = lastRestart.Elapsed;
                try
                {
                    state = await checker.CheckAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Log($"check at {started.TotalSeconds:0.0} s failed: {ex.Message}");
                    if (lastRestart.Elapsed > watchUntil)
                    {
                        break;
                    }

                    await Task.Delay(1000);
                    continue;
                }

                if (started <= Profile.RecoveryDeadline || atDeadline is null)
                {
                    atDeadline = state;
                    deadlineCheck = (started <= Profile.RecoveryDeadline ? "the last check started by then, " : "no check could start by then; the first one, ")
                        + $"from +{started.TotalSeconds:0.0} s to +{lastRestart.Elapsed.TotalSeconds:0.0} s";
                }

                Log($"+{lastRestart.Elapsed.TotalSeconds:0.0} s after the last restart was live: {state.OneLine()} ({state.Timing})");
                if (state.Settled)
                {
                    recovered = lastRestart.Elapsed;
                    break;
                }

                if (lastRestart.Elapsed > watchUntil)
                {
                    break;
                }

                await Task.Delay(started < Profile.RecoveryDeadline ? 1000 : 5000);
            }

            await approver.StopAsync();
            var writes = HubSpotWrites.Count(hubspot);
            var final = state ?? throw new InvalidOperationException("The service's API never answered after the last restart.\n" + service.Tail(60));
            atDeadline ??= final;
            var succeededDeals = (await api.GetRunsAsync(RecoveryState.Procurement)).Where(r => r.Status == "Succeeded").Select(r => r.SubjectId).ToList();
            var withoutWrite = writes.WithoutWriteBack(succeededDeals);
            var stopped = await service.StopAsync();

            Log($"recovery time (last restart live → everything routed and every run finished): {(recovered is { } r ? $"{r.TotalSeconds:0.0} s" : $"not reached within {watchUntil.TotalSeconds:0} s")}"
                + $" (+{lastStartup.TotalSeconds:0.0} s from the process start to /health/live)");
            Log($"approver: {approver.AnswerSummary()}");
            Log($"HubSpot writes: {writes.Summary()}; succeeded runs without their write-back: {withoutWrite.Count}");
            Log($"state at the deadline ({Profile.RecoveryDeadline.TotalSeconds:0} s after the last restart was live; {deadlineCheck}):\n{atDeadline.Describe()}");
            Log($"graceful stop: {(stopped ? "exited" : "had to be killed")}");
            await File.WriteAllLinesAsync(Path.Combine(folder, "kills.csv"), timeline);

            var problems = new List<string>();
            if (atDeadline.Lost.Count > 0)
            {
                problems.Add($"{atDeadline.Lost.Count} acknowledged events lost");
            }

            if (!atDeadline.Settled)
            {
                problems.Add($"not recovered {Profile.RecoveryDeadline.TotalSeconds:0} s after the last restart was live: {atDeadline.StuckCount} stuck ({atDeadline.OneLine()})");
            }

            if (final.DuplicateRuns.Count + final.EventsWithSeveralRuns.Count > 0)
            {
                problems.Add($"{final.DuplicateRuns.Count + final.EventsWithSeveralRuns.Count} duplicate runs");
            }

            if (writes.Duplicates.Count > 0)
            {
                problems.Add($"{writes.Duplicates.Count} duplicate HubSpot writes: {string.Join("; ", writes.Duplicates.Take(5))}");
            }

            if (withoutWrite.Count > 0)
            {
                problems.Add($"{withoutWrite.Count} Procurement runs Succeeded without writing their outcome to the deal (e.g. {string.Join(", ", withoutWrite.Take(5))})");
            }

            if (crashes.Count > 0 || service.UnexpectedExit is not null)
            {
                problems.Add($"the service died by itself: {string.Join("; ", crashes.Append(service.UnexpectedExit ?? "").Where(c => c.Length > 0))}");
            }

            if (left > 0)
            {
                problems.Add($"{left} batches never acknowledged after the last restart");
            }

            Assert.True(problems.Count == 0,
                $"Crash recovery failed: {string.Join("; ", problems)}.\n{report}\nService log {service.LogPath}, last lines:\n{service.Tail(40)}");
        }
        catch (InvalidOperationException ex)
        {
            // A restart that failed (the service exited or never became live) ends the test here, with what was seen so far.
            Assert.Fail($"{ex.Message}\n{report}");
        }
        finally
        {
            await confirmer.CancelAsync();
            await approver.StopAsync();
        }
    }

    /// <summary>While the load runs, confirms acknowledged events in the background (API reads are part of the load).</summary>
    private static async Task ConfirmWhileRunningAsync(StateChecker checker, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await checker.ConfirmEventsAsync(TimeSpan.FromSeconds(3), 2000, ct);
                await Task.Delay(1000, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The service is down (killed); try again when it is back.
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
