using RulesEngine.Models;
using HubSpotOrchestrator.Rules;

namespace HubSpotOrchestrator.Routing;

public sealed record RoutedWorkflow(string Workflow, string RuleName, string Expression);

/// <summary>Which workflows an event starts, and why: the rule-set version, the rules that fired, the input as evaluated.</summary>
public sealed record RoutingDecision(string RuleSetVersion, IReadOnlyList<RoutedWorkflow> Workflows, RoutingInput Input);

/// <summary>Evaluates <c>rules/routing.json</c> against one event on the active rule set.</summary>
internal sealed class EventRouter(RuleSetProvider rules)
{
    public Task<RoutingDecision> RouteAsync(RoutingInput input, CancellationToken ct = default) => RouteAsync(rules.Current, input, ct);

    public static async Task<RoutingDecision> RouteAsync(RuleSet set, RoutingInput input, CancellationToken ct = default)
    {
        var results = await set.Engine.ExecuteAllRulesAsync(RoutingRules.WorkflowName, [new RuleParameter("e", input)], ct);
        List<RoutedWorkflow>? matched = null;
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                continue;
            }

            var workflow = RoutingRules.TargetWorkflow(result.Rule)!;
            matched ??= [];
            if (!matched.Exists(m => m.Workflow == workflow))
            {
                matched.Add(new RoutedWorkflow(workflow, result.Rule.RuleName, result.Rule.Expression ?? ""));
            }
        }

        return new RoutingDecision(set.Version, (IReadOnlyList<RoutedWorkflow>?)matched ?? [], input);
    }
}
