using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Rules;

public class RuleSetLoaderTests
{
    [Fact]
    public async Task EveryFileInRulesFolder_LintsClean()
    {
        var result = await RuleSetLoader.LoadAsync(TestPaths.Rules, DateTime.UtcNow, RuleWorkflowKinds.Catalog());
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(Directory.GetFiles(TestPaths.Rules, "*.json").Length, result.RuleSet!.Files.Count);
    }

    [Fact]
    public async Task RulesLintCommand_ExitsZeroOnTheShippedRules()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await RulesCommand.LintAsync(TestPaths.Rules, RuleWorkflowKinds.Catalog(), stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains("rules OK", stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"WorkflowName\": \"Routing\", \"Rules\": [ { \"RuleName\": \"X\",", "routing.json:1", "invalid JSON")]
    [InlineData("{ \"WorkflowName\": \"Routing\", \"Rules\": [\n { \"RuleName\": \"Typo\", \"Expression\": \"e.SubscriptionTyp == \\\"x\\\"\", \"Properties\": { \"workflow\": \"DealKickoff\" } } ] }", "routing.json:2", "Typo")]
    [InlineData("{ \"WorkflowName\": \"Routing\", \"Rules\": [ { \"RuleName\": \"Nowhere\", \"Expression\": \"true\", \"Properties\": { \"workflow\": \"Teleport\" } } ] }", "routing.json:1", "unknown workflow \"Teleport\"")]
    [InlineData("{ \"WorkflowName\": \"Routing\", \"Rules\": [ { \"RuleName\": \"NoTarget\", \"Expression\": \"true\" } ] }", "routing.json:1", "Properties")]
    [InlineData("{ \"WorkflowName\": \"Mystery\", \"Rules\": [ { \"RuleName\": \"A\", \"Expression\": \"true\" } ] }", "routing.json:1", "unknown workflow \"Mystery\"")]
    [InlineData("{ \"WorkflowName\": \"Routing\", \"Rules\": [ { \"RuleName\": \"X\", \"Expression\": \"true\", \"Properties\": { \"workflow\": \"\\ud800\" } } ] }", "routing.json", "\"workflow\" is not valid text")]
    public async Task BrokenRuleFile_IsRefusedWithFileLineAndMessage(string content, string where, string message)
    {
        var dir = TestPaths.NewTempDir();
        File.Copy(Path.Combine(TestPaths.Rules, "procurement-policy.json"), Path.Combine(dir, "procurement-policy.json"));
        await File.WriteAllTextAsync(Path.Combine(dir, "routing.json"), content);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await RulesCommand.LintAsync(dir, RuleWorkflowKinds.Catalog(), stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains(where, stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_ChangesWithAnyEdit()
    {
        var a = RuleSetLoader.ComputeVersion(new Dictionary<string, string> { ["routing.json"] = "{}" });
        var b = RuleSetLoader.ComputeVersion(new Dictionary<string, string> { ["routing.json"] = "{ }" });
        Assert.NotEqual(a, b);
        Assert.Equal(a, RuleSetLoader.ComputeVersion(new Dictionary<string, string> { ["routing.json"] = "{}" }));
    }
}
