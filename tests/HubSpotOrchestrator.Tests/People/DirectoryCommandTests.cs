using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using static HubSpotOrchestrator.Tests.Infrastructure.DirectoryJson;

namespace HubSpotOrchestrator.Tests.People;

public sealed class DirectoryCommandTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DirectoryCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Lint_ShippedDirectory_PrintsOkWithCountAndVersion()
    {
        var expected = (await DirectoryLoader.LoadAsync(ShippedPath)).Snapshot!;
        var (code, stdout, stderr) = await RunAsync("lint", ShippedPath);
        Assert.Equal(0, code);
        Assert.Equal($"directory OK: {expected.People.Count} people, version {expected.Version}", stdout.Trim());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Lint_InvalidFile_PrintsEachErrorAndExitsOne()
    {
        var file = Path.Combine(TestPaths.NewTempDir(), "directory.json");
        await File.WriteAllTextAsync(file, Doc(Person("alice"), Person("bob", ", \"delegate\": \"ghost\""), Person("carol", ", \"slackUserId\": \"nope\"")));

        var (code, stdout, stderr) = await RunAsync("lint", file);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        var lines = stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{file}:4: person \"bob\": delegate \"ghost\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:5: person \"carol\": slackUserId \"nope\"", lines[1], StringComparison.Ordinal);
        Assert.Equal($"2 people directory error(s) in {file}", lines[2]);
    }

    [Fact]
    public async Task Lint_MissingFile_ExitsOne()
    {
        var (code, _, stderr) = await RunAsync("lint", Path.Combine(TestPaths.NewTempDir(), "absent.json"));
        Assert.Equal(1, code);
        Assert.Contains("file not found", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("check")]
    [InlineData("lint", "a.json", "b.json")]
    public async Task UnknownArguments_PrintUsageAndExitTwo(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains("usage: directory lint", stderr, StringComparison.Ordinal);
    }
}
