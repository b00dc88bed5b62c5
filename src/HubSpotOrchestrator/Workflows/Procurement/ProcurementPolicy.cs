using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Rules;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Workflows.Procurement;

/// <summary>Evaluates <c>rules/procurement-policy.json</c>: every rule that fires adds a stage, in "order".</summary>
internal sealed class ProcurementPolicy(RuleSetProvider rules)
{
    public const string WorkflowName = "ProcurementPolicy";

    public static readonly RuleWorkflowKind Kind = new(WorkflowName, "deal", typeof(PolicyInput), () => new PolicyInput(), Validate);

    public async Task<PolicyEvaluation> EvaluateAsync(PolicyInput input, CancellationToken ct)
    {
        var set = rules.Current;
        var workflow = set.Workflows[WorkflowName];
        var results = await set.Engine.ExecuteAllRulesAsync(WorkflowName, [new RuleParameter("deal", input)], ct);
        var fired = results.Where(r => r.IsSuccess).Select(r => r.Rule).ToList();
        var order = (workflow.Rules ?? []).Select(r => r.RuleName).ToList();
        var stages = fired
            .Select(rule => StageDefinition.Parse(rule, out _))
            .OrderBy(s => s.Order).ThenBy(s => order.IndexOf(s.Rule))
            .ToList();
        return new PolicyEvaluation(set.Version, [.. fired.Select(r => r.RuleName)], input.ToDictionary(), stages);
    }

    private static IEnumerable<(string? Rule, string Message)> Validate(Workflow workflow)
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
}
