using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HubSpotOrchestrator.Tests.Cards;

public sealed class CardsSetupTests
{
    private static ServiceProvider Build(string path)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cards:Path"] = path }).Build();
        return new ServiceCollection().AddLogging().AddCards(configuration).BuildServiceProvider();
    }

    [Fact]
    public void AddCards_LoadsTheConfiguredFolder()
    {
        using var provider = Build(TestPaths.Cards);
        Assert.True(provider.GetRequiredService<ICardCatalog>().Contains("approval-request"));
        Assert.Equal("1.5", (string?)provider.GetRequiredService<ICardRenderer>().RenderTeams("welcome", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Cards, "welcome.data.json"))))["version"]);
    }

    [Fact]
    public void AddCards_RefusesToStart_WhenATemplateFailsItsSampleData()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "broken.json"), """{"body": [{"$data": "${rows}", "text": "${nme}"}]}""");
        File.WriteAllText(Path.Combine(dir, "broken.data.json"), """{"rows": [{"name": "a"}]}""");
        using var provider = Build(dir);
        var ex = Assert.Throws<CardCatalogException>(() => provider.GetRequiredService<ICardCatalog>());
        Assert.Contains("broken.json at /body/0/text", ex.Message, StringComparison.Ordinal);
    }
}
