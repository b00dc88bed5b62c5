using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Api;
using HubSpotOrchestrator.Rules;

namespace HubSpotOrchestrator.Tests.Rules;

[Collection(AppCollection.Name)]
public sealed class RuleReloadTests
{
    [Fact]
    public async Task InvalidRuleFileAtRunTime_KeepsTheOldSetActiveAndShowsTheError()
    {
        using var app = new OrchestratorFactory();
        var client = app.ApiClient();
        var before = (await client.GetFromJsonAsync<RulesView>("/api/rules"))!;

        var path = Path.Combine(app.RulesDir, "routing.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("e.SubscriptionType == \\\"company.creation\\\"", "e.NoSuchField == 1", StringComparison.Ordinal));
        var provider = app.Service<RuleSetProvider>();
        await Eventually.TrueAsync(() => provider.LastErrors.Count > 0, "reload refused");

        var after = (await client.GetFromJsonAsync<RulesView>("/api/rules"))!;
        Assert.Equal(before.ActiveVersion, after.ActiveVersion);
        var error = Assert.Single(after.LastReloadErrors);
        Assert.Contains("routing.json", error, StringComparison.Ordinal);
        Assert.Contains("CompanyCreated", error, StringComparison.Ordinal);
        Assert.Contains("NoSuchField", error, StringComparison.Ordinal);

        var ready = await client.GetFromJsonAsync<JsonObject>("/health/ready");
        Assert.Equal("Degraded", ready!["checks"]!["rules"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ValidRuleChangeAtRunTime_IsSwappedInWithANewVersion()
    {
        using var app = new OrchestratorFactory();
        var client = app.ApiClient();
        var before = (await client.GetFromJsonAsync<RulesView>("/api/rules"))!;
        var path = Path.Combine(app.RulesDir, "routing.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"RuleName\": \"CompanyCreated\"", "\"RuleName\": \"CompanyWasCreated\"", StringComparison.Ordinal));
        var provider = app.Service<RuleSetProvider>();
        await Eventually.TrueAsync(() => provider.Current.Version != before.ActiveVersion, "new version active");
        var after = (await client.GetFromJsonAsync<RulesView>("/api/rules"))!;
        Assert.Contains("CompanyWasCreated", after.Files.Single(f => f.Name == "routing.json").Rules);
        Assert.Empty(after.LastReloadErrors);
    }

    [Fact]
    public void InvalidRuleSetAtStart_StopsTheServiceWithTheMessage()
    {
        using var app = new OrchestratorFactory();
        File.WriteAllText(Path.Combine(app.RulesDir, "routing.json"), "{ \"WorkflowName\": \"Routing\", \"Rules\": [ { \"RuleName\": \"Broken\", \"Expression\": \"e.SubscriptionType ==\", \"Properties\": { \"workflow\": \"DealKickoff\" } } ] }");
        var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var message = ex.ToString();
        Assert.Contains("routing.json", message, StringComparison.Ordinal);
        Assert.Contains("Broken", message, StringComparison.Ordinal);
    }
}
