using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// Runs/s through a three-step workflow with no external calls on the embedded stores (LiteDB + Hangfire SQLite),
/// and step pickup latency: from the run being handed to the engine (enqueued) to its first step starting.
/// </summary>
internal static class WorkflowBenchmark
{
    private const int Runs = 1500;
    private const int PickupSamples = 200;

    private const string Method = """
        The real service in-process (default settings: 8 Hangfire workers, 100 ms queue poll), with one extra workflow
        registered only in this benchmark: three steps that each return a small output (no external calls), so every
        run does what any run does on the embedded stores: a Hangfire job, a lease, a checkpoint before and after each
        step, the success record and its audit entry. Throughput: 1,500 runs created directly in the run store (distinct
        deals, so per-record ordering never serialises them) and started at once; figure = runs / time until the last one
        is Succeeded. Pickup: 200 runs started one at a time, 50 ms apart (an idle service); latency = time from
        IRunStarter.Start to the first step's code running, measured with one Stopwatch in this process.
        """;

    public static async Task<Section> RunAsync(TextWriter log)
    {
        var section = new Section("4. Durable runs: three-step workflow on the embedded stores", Method);
        var probe = new BenchWorkflow();
        await using var service = await ServiceUnderTest.StartAsync(services => services.AddSingleton<IWorkflow>(probe));
        var runs = service.Service<IRunStore>();
        var starter = service.Service<IRunStarter>();

        // Warm-up as long as the measurement: tiered JIT only optimises the LiteDB/BSON paths after many calls.
        await ThroughputAsync(runs, starter, 1500, 1_000_000);

        var elapsed = await ThroughputAsync(runs, starter, Runs, 2_000_000);
        var perSecond = Runs / elapsed.TotalSeconds;
        log.WriteLine($"throughput: {Runs} runs in {elapsed.TotalSeconds:F1} s = {perSecond:F0} runs/s");
        section.Add($"Runs/s, {Runs} runs started at once", $"{perSecond:F0} runs/s ({Runs} in {elapsed.TotalSeconds:F1} s)", "≥ 1,000 runs/s", perSecond >= 1000);

        var samples = new List<double>();
        for (var i = 0; i < PickupSamples; i++)
        {
            var run = NewRun(3_000_000 + i);
            runs.TryCreate(run);
            probe.Started[run.Id] = Stopwatch.GetTimestamp();
            starter.Start(run.Id);
            await Task.Delay(50);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (probe.FirstStep.Count < PickupSamples + Runs + 50 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        foreach (var (runId, start) in probe.Started)
        {
            if (probe.FirstStep.TryGetValue(runId, out var first))
            {
                samples.Add(Stopwatch.GetElapsedTime(start, first).TotalMilliseconds);
            }
        }

        var stats = new LatencyStats(samples);
        log.WriteLine($"pickup: {stats.Summary()}");
        section.Add($"Step pickup latency ({stats.Count} runs, one every 50 ms)", stats.Summary(), "p95 ≤ 250 ms", stats.Percentile(95) <= 250);
        return section;
    }

    private static async Task<TimeSpan> ThroughputAsync(IRunStore runs, IRunStarter starter, int count, long firstDeal)
    {
        var created = Enumerable.Range(0, count).Select(i => NewRun(firstDeal + i)).ToList();
        foreach (var run in created)
        {
            runs.TryCreate(run);
        }

        var clock = Stopwatch.StartNew();
        foreach (var run in created)
        {
            starter.Start(run.Id);
        }

        var remaining = created.Select(r => r.Id).ToHashSet();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            remaining.RemoveWhere(id => runs.Get(id)?.Status == RunStatus.Succeeded);
            await Task.Delay(remaining.Count > 100 ? 200 : 20);
        }

        if (remaining.Count > 0)
        {
            throw new InvalidOperationException($"{remaining.Count} of {count} runs did not finish within 3 minutes");
        }

        return clock.Elapsed;
    }

    private static Run NewRun(long deal)
    {
        var now = DateTime.UtcNow;
        return new Run
        {
            Id = "run_bench" + deal.ToString(CultureInfo.InvariantCulture),
            Workflow = BenchWorkflow.WorkflowName,
            Status = RunStatus.Pending,
            SubjectType = "deal",
            SubjectId = deal,
            PortalId = 1,
            CorrelationId = "bench-" + deal.ToString(CultureInfo.InvariantCulture),
            EventKey = "bench",
            RuleSetVersion = "bench",
            OccurredAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Three steps with no external calls; records when each run's first step starts.</summary>
    private sealed class BenchWorkflow : IWorkflow
    {
        public const string WorkflowName = "BenchThreeSteps";

        public ConcurrentDictionary<string, long> Started { get; } = new();

        public ConcurrentDictionary<string, long> FirstStep { get; } = new();

        public string Name => WorkflowName;

        public IReadOnlyList<WorkflowStep> Steps =>
        [
            new("first", (ctx, _) =>
            {
                FirstStep.TryAdd(ctx.Run.Id, Stopwatch.GetTimestamp());
                return Task.FromResult(StepResult.Completed(new { n = 1 }));
            }),
            new("second", (_, _) => Task.FromResult(StepResult.Completed(new { n = 2 }))),
            new("third", (_, _) => Task.FromResult(StepResult.Completed(new { n = 3 }))),
        ];
    }
}
