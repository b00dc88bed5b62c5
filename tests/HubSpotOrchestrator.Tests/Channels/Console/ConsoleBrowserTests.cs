using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Playwright;

namespace HubSpotOrchestrator.Tests.Channels.Console;

/// <summary>The console in a real Chromium (Debian's /usr/bin/chromium, installed by .ci/run) against the service on Kestrel.</summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task PriyaSignsIn_ApprovesInTheBrowser_AndTheRunWritesHubSpot()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (see .ci/run).");
        using var app = new ConsoleApp(kestrel: true);
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.Address.ToString() });

        await page.GotoAsync("/console/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Priya Raman" }).ClickAsync();
        await page.WaitForURLAsync("**/console/inbox");
        var request = page.Locator("article[data-card='approval-request']");
        await Assertions.Expect(request).ToHaveCountAsync(1);
        await Assertions.Expect(request.GetByRole(AriaRole.Heading)).ToContainTextAsync("Approval needed");
        await Screenshot(page, "inbox");

        await request.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await page.WaitForURLAsync("**/console/inbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done");
        await Assertions.Expect(page.Locator("article[data-card='approval-request']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".flash article[data-card='approval-decided']")).ToContainTextAsync("Approved by Priya Raman");
        await Screenshot(page, "decided");
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("approved", app.DealProperty("9003", "approval_status"));

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section.recent article[data-card='approval-decided']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("section.recent button")).ToHaveCountAsync(0);
    }

    /// <summary>For looking at the page while developing: set HSO_CONSOLE_SCREENSHOTS to a folder.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HSO_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
