using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Cards;

public sealed class CardsCommandTests
{
    [Fact]
    public async Task LintSucceedsOnTheRepositoryCards()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CardsCommand.RunAsync(["lint", TestPaths.Cards], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var count = Directory.EnumerateFiles(TestPaths.Cards, "*.json").Count(f => !f.EndsWith(".data.json", StringComparison.Ordinal));
        Assert.Contains($"{count} card template(s) OK", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintFailsNamingFileAndPointer_WhenAFunctionIsUnknown()
    {
        var dir = TestPaths.NewTempDir();
        await File.WriteAllTextAsync(Path.Combine(dir, "x.json"), """{"body": [{"text": "${frobnicate(a)}"}]}""");
        await File.WriteAllTextAsync(Path.Combine(dir, "x.data.json"), """{"a": 1}""");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CardsCommand.RunAsync(["lint", dir], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains("x.json at /body/0/text: unknown function 'frobnicate'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teams", "\"Action.Execute\"")]
    [InlineData("slack", "\"action_id\": \"approve\"")]
    [InlineData("html", "<button type=\"submit\"")]
    public async Task RenderPrintsTheRequestedChannel(string channel, string expected)
    {
        var template = Path.Combine(TestPaths.Cards, "approval-request.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CardsCommand.RunAsync(["render", template, "--data", Path.Combine(TestPaths.Cards, "approval-request.data.json"), "--channel", channel], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains(expected, stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSubcommandPrintsUsage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, await CardsCommand.RunAsync(["frob"], stdout, stderr));
        Assert.Contains("usage:", stderr.ToString(), StringComparison.Ordinal);
    }
}
