using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Workflows.Procurement;

namespace HubSpotOrchestrator.Hosting;

/// <summary>
/// The rule workflows of this service for the CLI verbs, which run without the service's container. The service
/// itself learns them from the features' registrations (<c>AddRouting</c>, <c>AddWorkflows</c>); a test checks
/// that both lists agree.
/// </summary>
internal static class RuleWorkflowKinds
{
    public static RuleWorkflowCatalog Catalog() => new([RoutingRules.Kind, ProcurementPolicy.Kind]);
}
