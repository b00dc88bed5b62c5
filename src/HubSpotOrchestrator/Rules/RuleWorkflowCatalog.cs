using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Workflows;
using HubSpotOrchestrator.Workflows.Procurement;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Rules;

/// <summary>What one RulesEngine workflow in <c>rules/</c> takes as input and what else it must satisfy.</summary>
internal sealed record RuleWorkflowKind(
    string WorkflowName,
    string InputName,
    Type InputType,
    Func<object> SampleInput,
    Func<Workflow, IEnumerable<(string? Rule, string Message)>> Validate);

/// <summary>
/// The rule workflows this service knows. A file may only define these: each needs a known input type to
/// compile against, and rule files are privileged config, so nothing else gets evaluated.
/// </summary>
internal static class RuleWorkflowCatalog
{
    public const string Routing = "Routing";
    public const string ProcurementPolicy = "ProcurementPolicy";

    public static readonly IReadOnlyDictionary<string, RuleWorkflowKind> Kinds = new Dictionary<string, RuleWorkflowKind>(StringComparer.Ordinal)
    {
        [Routing] = new(Routing, "e", typeof(RoutingInput), () => new RoutingInput(), ValidateRouting),
        [ProcurementPolicy] = new(ProcurementPolicy, "deal", typeof(PolicyInput), () => new PolicyInput(), ValidatePolicy),
    };

    /// <summary>The workflow a routing rule starts, from its <c>Properties.workflow</c>.</summary>
    public static string? TargetWorkflow(Rule rule) =>
        rule.Properties is not null && rule.Properties.TryGetValue("workflow", out var value) ? value?.ToString() : null;

    private static IEnumerable<(string? Rule, string Message)> ValidatePolicy(Workflow workflow)
    {
        foreach (var rule in workflow.Rules ?? [])
        {
            StageDefinition.Parse(rule, out var errors);
            foreach (var error in errors)
            {
                yield return (rule.RuleName, error);
            }
        }
    }

    private static IEnumerable<(string? Rule, string Message)> ValidateRouting(Workflow workflow)
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
