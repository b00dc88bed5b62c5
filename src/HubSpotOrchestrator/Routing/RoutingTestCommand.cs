using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Routing;

/// <summary><c>rules test --event file</c>: dry-runs the routing rules against an event file; writes nothing.</summary>
internal static class RoutingTestCommand
{
    public static async Task<int> RunAsync(string[] args, RuleWorkflowCatalog catalog, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args.Skip(1));
        return await TestAsync(cli, catalog, stdout, stderr, () => RulesCommand.DefaultDir(args));
    }

    private static async Task<int> TestAsync(CliArgs cli, RuleWorkflowCatalog catalog, TextWriter stdout, TextWriter stderr, Func<string> defaultDir)
    {
        var file = cli.Get("event") ?? throw new CliException("rules test needs --event <file> (a HubSpot webhook batch or one event).");
        if (!File.Exists(file))
        {
            throw new CliException($"event file '{file}' does not exist.");
        }

        var loaded = await RuleSetLoader.LoadAsync(cli.Get("rules") ?? defaultDir(), DateTime.UtcNow, catalog);
        if (!loaded.Succeeded)
        {
            foreach (var loadError in loaded.Errors)
            {
                await stderr.WriteLineAsync(loadError.ToString());
            }

            return 1;
        }

        var body = await File.ReadAllBytesAsync(file);
        if (body.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8))
        {
            body = [.. "["u8, .. body, .. "]"u8];
        }

        var parsed = WebhookBatchParser.Parse(body, "dry-run", DateTime.UtcNow, out var error)
            ?? throw new CliException($"{file}: {error}");
        foreach (var q in parsed.Quarantined)
        {
            await stderr.WriteLineAsync($"{file}: event #{q.IndexInBatch} would be quarantined: {q.Reason}");
        }

        var set = loaded.RuleSet!;
        var routing = set.Workflows[RoutingRules.WorkflowName];
        foreach (var e in parsed.Events)
        {
            var input = RoutingInput.From(e, cli.Get("deal-stage"), ["closedwon", "closedlost"]);
            var decision = await EventRouter.RouteAsync(set, input);
            await stdout.WriteLineAsync($"event {e.EventId} {e.SubscriptionType} {e.ObjectType} {e.ObjectId}" + (e.PropertyName is null ? "" : $" {e.PropertyName}={e.PropertyValue}"));
            foreach (var rule in routing.Rules ?? [])
            {
                var fired = decision.Workflows.Any(w => w.RuleName == rule.RuleName);
                await stdout.WriteLineAsync($"  {(fired ? "FIRES" : "  -  ")}  {rule.RuleName} → {RoutingRules.TargetWorkflow(rule)}");
            }

            await stdout.WriteLineAsync(decision.Workflows.Count == 0
                ? "  would start: nothing (event would be marked Ignored)"
                : $"  would start: {string.Join(", ", decision.Workflows.Select(w => w.Workflow))}");
        }

        await stdout.WriteLineAsync($"rule set {set.Version}; nothing was written");
        return 0;
    }
}
