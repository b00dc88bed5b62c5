using HubSpotOrchestrator.Channels.Console;

namespace HubSpotOrchestrator.Tests.Channels.Console;

public sealed class ConsoleAuthTests
{
    [Theory]
    [InlineData("/console/inbox", "/console/inbox")]
    [InlineData("/console/inbox?x=1", "/console/inbox?x=1")]
    [InlineData("https://evil.example/console/inbox", "/console/inbox")]
    [InlineData("//evil.example/console/", "/console/inbox")]
    [InlineData("/console/\\evil.example", "/console/inbox")]
    [InlineData("/api/approvals", "/console/inbox")]
    [InlineData("/console/signin", "/console/inbox")]
    [InlineData(null, "/console/inbox")]
    public void SafeReturnUrl_KeepsOnlyConsolePaths(string? returnUrl, string expected) =>
        Assert.Equal(expected, ConsoleAuth.SafeReturnUrl(returnUrl));
}
