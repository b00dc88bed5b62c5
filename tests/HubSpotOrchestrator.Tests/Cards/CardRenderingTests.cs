using System.Text.Json.Nodes;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Cards;

public sealed class CardRenderingTests
{
    private static readonly Lazy<CardCatalog> Catalog = new(() => CardCatalog.Load(TestPaths.Cards));

    private static CardRenderer Renderer => new(Catalog.Value);

    private static JsonNode Sample(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Cards, name + ".data.json")))!;

    [Fact]
    public void EveryTemplateInCardsFolderLoadsAndValidatesAgainstItsSampleData()
    {
        var templates = Directory.EnumerateFiles(TestPaths.Cards, "*.json").Where(f => !f.EndsWith(".data.json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(templates.Order(StringComparer.Ordinal), Catalog.Value.Names.Order(StringComparer.Ordinal));
        Assert.True(Catalog.Value.Names.Count >= 11, "approval request, decided, reminder, escalated, exception, run status, run list, pending list, help, welcome, notice");
    }

    [Fact]
    public void TeamsApprovalCardHasExecuteInActionSetWithSubmitFallbackAndRefresh()
    {
        var card = Renderer.RenderTeams("approval-request", Sample("approval-request"), new TeamsCardOptions(["29:approver"], RefreshData: new JsonObject { ["approvalId"] = "apr_01JD8Z6Q" }));
        Assert.Equal("1.5", (string?)card["version"]);
        var actionSet = card["body"]!.AsArray().Single(e => (string?)e!["type"] == "ActionSet")!;
        var approve = actionSet["actions"]![0]!;
        Assert.Equal("Action.Execute", (string?)approve["type"]);
        Assert.Equal("approve", (string?)approve["verb"]);
        Assert.Equal(["approvalId", "token"], approve["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal("tok_3f9c0a7e5b", (string?)approve["data"]!["token"]);
        Assert.Equal("Action.Submit", (string?)approve["fallback"]!["type"]);
        Assert.Equal("approve", (string?)approve["fallback"]!["data"]!["verb"]);
        Assert.Equal("29:approver", (string?)card["refresh"]!["userIds"]![0]);
    }

    [Fact]
    public void SlackTranslationMapsHeaderFactsAndButtonsWithVerbAndIdTokenValue()
    {
        var message = Renderer.RenderSlack("approval-request", Sample("approval-request"));
        var blocks = message["blocks"]!.AsArray();
        Assert.Equal("header", (string?)blocks[0]!["type"]);
        Assert.Contains(blocks, b => (string?)b!["type"] == "section" && b["fields"] is JsonArray { Count: 5 });
        var actions = blocks.Single(b => (string?)b!["type"] == "actions")!;
        Assert.Equal("decision", (string?)actions["block_id"]);
        var approve = actions["elements"]![0]!;
        Assert.Equal("approve", (string?)approve["action_id"]);
        Assert.Equal("primary", (string?)approve["style"]);
        Assert.Equal("""{"approvalId":"apr_01JD8Z6Q","token":"tok_3f9c0a7e5b"}""", (string?)approve["value"]);
    }

    [Fact]
    public void SlackOverrideFileIsUsedWhenPresent()
    {
        var message = Renderer.RenderSlack("exception", Sample("exception"));
        Assert.Contains("slack override", (string?)message["text"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HtmlRenderingEscapesScriptAndCarriesVerbIdAndTokenToTheConfiguredAction()
    {
        var data = Sample("approval-request");
        data["title"] = "<script>alert(1)</script>";
        data["token"] = "t\"><img src=x onerror=alert(1)>";
        var html = Renderer.RenderHtml("approval-request", data, "/console/act?x=1&y=2");
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/console/act?x=1&amp;y=2\">", html, StringComparison.Ordinal);
        Assert.Contains("data-verb=\"approve\"", html, StringComparison.Ordinal);
        Assert.Contains("data-approval-id=\"apr_01JD8Z6Q\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogRefusesToLoad_NamingFileAndPointer_WhenATemplateFails()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "bad.json"), """{"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "${missing}"}]}""");
        File.WriteAllText(Path.Combine(dir, "bad.data.json"), "{}");
        var ex = Assert.Throws<CardCatalogException>(() => CardCatalog.Load(dir));
        Assert.Contains("bad.json at /body/0/text", ex.Message, StringComparison.Ordinal);
    }
}
