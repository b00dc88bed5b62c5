using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Procurement;

namespace HubSpotOrchestrator.Tests.Routing;

public class RoutingRulesTests
{
    [Theory]
    [InlineData("company-creation", null, "CompanyIntake")]
    [InlineData("company-name-unicode", null, "CompanyIntake")]
    [InlineData("contact-creation", null, "ContactRoleMapping")]
    [InlineData("contact-jobtitle-change", null, "ContactRoleMapping")]
    [InlineData("deal-association-change", null, "ContactRoleMapping")]
    [InlineData("deal-closedwon", null, "DealKickoff")]
    [InlineData("deal-contractsent-large", null, "ProcurementApproval")]
    [InlineData("deal-discount-change", "contractsent", "ProcurementApproval")]
    [InlineData("deal-discount-change", "closedwon", "")]
    [InlineData("company-merge", null, "")]
    public async Task ShippedRoutingRules_StartTheDocumentedWorkflow(string fixture, string? dealStage, string expected)
    {
        var set = (await RuleSetLoader.LoadAsync(TestPaths.Rules, DateTime.UtcNow, RuleWorkflowKinds.Catalog())).RuleSet!;
        var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot(fixture), "t", DateTime.UtcNow, out _)!;
        var input = RoutingInput.From(Assert.Single(parsed.Events), dealStage, ["closedwon", "closedlost"]);
        var decision = await EventRouter.RouteAsync(set, input);
        Assert.Equal(expected, string.Join(",", decision.Workflows.Select(w => w.Workflow)));
    }

    [Fact]
    public async Task RulesTestCommand_PrintsWhichRulesFireAndWritesNothing()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await RoutingTestCommand.RunAsync(["test", "--event", TestPaths.Fixture("hubspot/deal-contractsent-large.json"), "--rules", TestPaths.Rules], RuleWorkflowKinds.Catalog(), stdout, stderr);
        Assert.Equal(0, code);
        var text = stdout.ToString();
        Assert.Contains("FIRES  DealContractSent → ProcurementApproval", text, StringComparison.Ordinal);
        Assert.Contains("would start: ProcurementApproval", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheServicesRegisteredRuleWorkflows_AreTheOnesTheCliVerbsKnow()
    {
        using var app = new OrchestratorFactory();
        var registered = app.Service<RuleWorkflowCatalog>().Kinds.Keys.Order(StringComparer.Ordinal);
        Assert.Equal(RuleWorkflowKinds.Catalog().Kinds.Keys.Order(StringComparer.Ordinal), registered);
        Assert.Equal(["ProcurementPolicy", "Routing"], registered);
    }
}
