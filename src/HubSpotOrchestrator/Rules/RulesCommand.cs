using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Rules;

/// <summary><c>rules lint [dir]</c> and <c>rules test --event file</c>: what ops run while editing rule files.</summary>
internal static class RulesCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args.Skip(1));
        return args.FirstOrDefault() switch
        {
            "lint" => await LintAsync(cli.Positional.FirstOrDefault() ?? DefaultDir(args), stdout, stderr),
            "test" => await TestAsync(cli, stdout, stderr, () => DefaultDir(args)),
            _ => throw new CliException("usage: rules lint [dir] | rules test --event <file> [--rules dir] [--deal-stage STAGE]"),
        };
    }

    public static async Task<int> LintAsync(string dir, TextWriter stdout, TextWriter stderr)
    {
        var result = await RuleSetLoader.LoadAsync(dir, DateTime.UtcNow);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync(error.ToString());
            }

            await stderr.WriteLineAsync($"{result.Errors.Count} error(s) in {Path.GetFullPath(dir)}");
            return 1;
        }

        var set = result.RuleSet!;
        foreach (var (name, workflow) in set.Workflows)
        {
            await stdout.WriteLineAsync($"{set.WorkflowFiles[name]}: workflow {name}, {workflow.Rules?.Count() ?? 0} rules, compiled");
        }

        await stdout.WriteLineAsync($"rules OK: version {set.Version}");
        return 0;
    }

    private static async Task<int> TestAsync(CliArgs cli, TextWriter stdout, TextWriter stderr, Func<string> defaultDir)
    {
        var file = cli.Get("event") ?? throw new CliException("rules test needs --event <file> (a HubSpot webhook batch or one event).");
        if (!File.Exists(file))
        {
            throw new CliException($"event file '{file}' does not exist.");
        }

        var loaded = await RuleSetLoader.LoadAsync(cli.Get("rules") ?? defaultDir(), DateTime.UtcNow);
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
        var routing = set.Workflows[RuleWorkflowCatalog.Routing];
        foreach (var e in parsed.Events)
        {
            var input = RoutingInput.From(e, cli.Get("deal-stage"), ["closedwon", "closedlost"]);
            var decision = await EventRouter.RouteAsync(set, input);
            await stdout.WriteLineAsync($"event {e.EventId} {e.SubscriptionType} {e.ObjectType} {e.ObjectId}" + (e.PropertyName is null ? "" : $" {e.PropertyName}={e.PropertyValue}"));
            foreach (var rule in routing.Rules ?? [])
            {
                var fired = decision.Workflows.Any(w => w.RuleName == rule.RuleName);
                await stdout.WriteLineAsync($"  {(fired ? "FIRES" : "  -  ")}  {rule.RuleName} → {RuleWorkflowCatalog.TargetWorkflow(rule)}");
            }

            await stdout.WriteLineAsync(decision.Workflows.Count == 0
                ? "  would start: nothing (event would be marked Ignored)"
                : $"  would start: {string.Join(", ", decision.Workflows.Select(w => w.Workflow))}");
        }

        await stdout.WriteLineAsync($"rule set {set.Version}; nothing was written");
        return 0;
    }

    private static string DefaultDir(string[] args) =>
        Cli.LoadConfiguration(args)[RulesOptions.Section + ":" + nameof(RulesOptions.Path)] ?? "rules";
}
