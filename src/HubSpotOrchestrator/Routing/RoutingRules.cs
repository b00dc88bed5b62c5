using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Workflows;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Routing;

/// <summary><c>rules/routing.json</c>: the rule workflow that decides which workflows an event starts.</summary>
internal static class RoutingRules
{
    public const string WorkflowName = "Routing";

    public static readonly RuleWorkflowKind Kind = new(WorkflowName, "e", typeof(RoutingInput), () => new RoutingInput(), Validate);

    /// <summary>The workflow a routing rule starts, from its <c>Properties.workflow</c>.</summary>
    public static string? TargetWorkflow(Rule rule) =>
        rule.Properties is not null && rule.Properties.TryGetValue("workflow", out var value) ? value?.ToString() : null;

    private static IEnumerable<(string? Rule, string Message)> Validate(Workflow workflow)
    {
        foreach (var rule in workflow.Rules ?? [])
        {
            var target = TargetWorkflow(rule);
            if (string.IsNullOrWhiteSpace(target))
            {
                yield return (rule.RuleName, "a routing rule needs \"Properties\": { \"workflow\": \"<name>\" } naming the workflow it starts");
            }
            else if (!WorkflowNames.All.Contains(target))
            {
                yield return (rule.RuleName, $"unknown workflow \"{target}\"; known workflows: {string.Join(", ", WorkflowNames.All.Order(StringComparer.Ordinal))}");
            }
        }
    }
}
