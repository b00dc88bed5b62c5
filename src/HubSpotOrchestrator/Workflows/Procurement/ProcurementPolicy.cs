using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Rules;
using RulesEngine.Models;

namespace HubSpotOrchestrator.Workflows.Procurement;

public sealed record PolicyEvaluation(string RuleSetVersion, IReadOnlyList<string> FiredRules, IReadOnlyDictionary<string, string> Input, IReadOnlyList<StageDefinition> Stages);

/// <summary>Evaluates <c>rules/procurement-policy.json</c>: every rule that fires adds a stage, in "order".</summary>
internal sealed class ProcurementPolicy(RuleSetProvider rules)
{
    public async Task<PolicyEvaluation> EvaluateAsync(PolicyInput input, CancellationToken ct)
    {
        var set = rules.Current;
        var workflow = set.Workflows[RuleWorkflowCatalog.ProcurementPolicy];
        var results = await set.Engine.ExecuteAllRulesAsync(RuleWorkflowCatalog.ProcurementPolicy, [new RuleParameter("deal", input)], ct);
        var fired = results.Where(r => r.IsSuccess).Select(r => r.Rule).ToList();
        var order = (workflow.Rules ?? []).Select(r => r.RuleName).ToList();
        var stages = fired
            .Select(rule => StageDefinition.Parse(rule, out _))
            .OrderBy(s => s.Order).ThenBy(s => order.IndexOf(s.Rule))
            .ToList();
        return new PolicyEvaluation(set.Version, [.. fired.Select(r => r.RuleName)], input.ToDictionary(), stages);
    }
}
