using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Webhooks;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>Target 3: routing evaluations/s through EventRouter against RulesEngine called directly, same rules and inputs.</summary>
internal static class RoutingBenchmark
{
    private const double TargetRatio = 0.8;
    private const int Rounds = 12;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(0.75);
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static async Task<Section> RunAsync(TextWriter log)
    {
        var section = new Section("3. Routing evaluations: EventRouter vs RulesEngine directly", Method);
        var loaded = await RuleSetLoader.LoadAsync(RepoPaths.Rules, DateTime.UtcNow, RuleWorkflowKinds.Catalog());
        var set = loaded.RuleSet ?? throw new InvalidOperationException("rules do not load: " + string.Join("; ", loaded.Errors));

        var parsed = WebhookBatchParser.Parse(File.ReadAllBytes(RepoPaths.MixedBatch), "b-bench", DateTime.UtcNow, out var error) ?? throw new InvalidOperationException(error);
        var inputs = parsed.Events.Select(e => RoutingInput.From(e, null, ["closedwon", "closedlost"])).ToArray();

        // The direct engine: its own Workflow objects read from the same file, the service's settings.
        var workflows = JsonSerializer.Deserialize<Workflow[]>("[" + await File.ReadAllTextAsync(Path.Combine(RepoPaths.Rules, "routing.json")) + "]", CaseInsensitive)!;
        var direct = new RulesEngine.RulesEngine(workflows, new ReSettings { CustomTypes = [], EnableExceptionAsErrorMessage = true, IgnoreException = false });

        // Same work on both sides: the same inputs fire the same rules.
        var routerMatches = 0;
        var directMatches = 0;
        foreach (var input in inputs)
        {
            routerMatches += (await EventRouter.RouteAsync(set, input)).Workflows.Count;
            directMatches += (await direct.ExecuteAllRulesAsync("Routing", new RuleParameter("e", input))).Count(r => r.IsSuccess);
        }

        async Task<long> RouterLoop(TimeSpan duration)
        {
            long n = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < duration)
            {
                await EventRouter.RouteAsync(set, inputs[n++ % inputs.Length]);
            }

            return n;
        }

        async Task<long> DirectLoop(TimeSpan duration)
        {
            long n = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < duration)
            {
                await direct.ExecuteAllRulesAsync("Routing", new RuleParameter("e", inputs[n++ % inputs.Length]));
            }

            return n;
        }

        await RouterLoop(WarmUp);
        await DirectLoop(WarmUp);
        var routerRates = new List<double>();
        var directRates = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            // Alternate, so drift in machine load (other processes share the 2 cores) hits both sides alike.
            routerRates.Add(await RouterLoop(Round) / Round.TotalSeconds);
            directRates.Add(await DirectLoop(Round) / Round.TotalSeconds);
        }

        var router = Median(routerRates);
        var directRate = Median(directRates);
        // Each pair of rounds ran back to back, so the per-pair ratio cancels most of the drift in machine load.
        var ratio = Median([.. routerRates.Zip(directRates, (r, d) => r / d)]);
        log.WriteLine($"EventRouter {router:N0}/s, RulesEngine {directRate:N0}/s, ratio {ratio:F2}");
        section.Add("EventRouter.RouteAsync (median of rounds)", $"{router:N0} evaluations/s (rounds: {Rates(routerRates)})");
        section.Add("RulesEngine.ExecuteAllRulesAsync directly (median of rounds)", $"{directRate:N0} evaluations/s (rounds: {Rates(directRates)})");
        section.Add("Ratio EventRouter ÷ direct (median of the per-pair ratios)", ratio.ToString("F2", CultureInfo.InvariantCulture), $"≥ {TargetRatio:F1}", ratio >= TargetRatio);
        section.Add("Rules fired over the 100 inputs (router workflows / direct successful rules)", $"{routerMatches} / {directMatches}");
        return section;
    }

    private const string Method = """
        Stopwatch loops on one thread, in the benchmark process with no service running. Inputs: the 100 fixture events,
        parsed by `WebhookBatchParser` and turned into `RoutingInput` as the routing job does (no deal stage known), used in
        turn by both sides. Ours: `EventRouter.RouteAsync(ruleSet, input)` on the rule set `RuleSetLoader` builds from
        `rules/` (validated, compiled, warmed). Direct: `new RulesEngine.RulesEngine(workflows, settings)` built once from
        the same `rules/routing.json` with the same `ReSettings`, then `ExecuteAllRulesAsync("Routing", new RuleParameter("e", input))`.
        1 s warm-up each, then 12 pairs of back-to-back 0.75 s rounds (router, then direct); the median round of each side and the
        median of the 12 per-pair ratios are reported (the machine is shared, so rates drift; pairing cancels most of it).
        """;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Rates(IEnumerable<double> rates) => string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)));
}
