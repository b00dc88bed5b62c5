using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Integrations.HubSpot;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Tests.Integrations.HubSpot;

public sealed class HubSpotConfigurationTests
{
    private static readonly string[] DealName = ["dealname"];

    [Fact]
    public async Task EveryCall_ThrowsConfiguration_WhenHubSpotIsNotConfigured()
    {
        await using var host = await HubSpotTestHost.StartAsync(withToken: false);

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName));
        var note = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.CreateNoteAsync(new("deals", "9002"), "x", "run-1:note"));

        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Equal("HubSpot is not configured", ex.Message);
        Assert.Equal("Set HubSpot:AccessToken (private app token) or HubSpot:OAuth:ClientId/ClientSecret/RefreshToken", ex.Fix);
        Assert.Equal(FailureKind.Configuration, note.Kind);
        Assert.Empty(host.Server.Requests);
    }

    [Fact]
    public void EmptyConfiguration_IsValid_EvenWithTheWebhookKeysOfTheSameSection()
    {
        using var services = Build(new()
        {
            ["HubSpot:ClientSecret"] = "webhook-secret",
            ["HubSpot:PublicBaseUrl"] = "http://localhost:5000",
            ["HubSpot:SignatureMaxAgeSeconds"] = "300",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<HubSpotCrmOptions>>().Value;

        Assert.False(options.IsConfigured);
        Assert.Equal(new Uri("https://api.hubapi.com"), options.BaseUrl);
        Assert.Equal(100, options.RequestsPer10Seconds);
        Assert.Equal(4, options.SearchRequestsPerSecond);
    }

    [Theory]
    [InlineData("HubSpot:BaseUrl", "http://api.hubapi.com", "HubSpot:BaseUrl must use https")]
    [InlineData("HubSpot:RequestsPer10Seconds", "0", "RequestsPer10Seconds")]
    [InlineData("HubSpot:SearchRequestsPerSecond", "-1", "SearchRequestsPerSecond")]
    [InlineData("HubSpot:RequestTimeout", "00:00:00", "HubSpot:RequestTimeout")]
    [InlineData("HubSpot:DailyBudgetWarningPercent", "150", "DailyBudgetWarningPercent")]
    [InlineData("HubSpot:OAuth:ClientId", "client", "set HubSpot:OAuth:ClientSecret, HubSpot:OAuth:RefreshToken")]
    public void InconsistentConfiguration_StopsTheServiceWithTheKey(string key, string value, string expected)
    {
        using var services = Build(new() { ["HubSpot:AccessToken"] = "pat", [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenAndOAuthTogether_AreRejected()
    {
        using var services = Build(new()
        {
            ["HubSpot:AccessToken"] = "pat",
            ["HubSpot:OAuth:ClientId"] = "client",
            ["HubSpot:OAuth:ClientSecret"] = "secret",
            ["HubSpot:OAuth:RefreshToken"] = "refresh",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("not both", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InsecureBaseUrl_IsAccepted_WithTheDevelopmentFlag()
    {
        using var services = Build(new() { ["HubSpot:BaseUrl"] = "http://127.0.0.1:9999", ["HubSpot:AllowInsecureHttp"] = "true" });

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task OAuth_RefreshesTheAccessTokenBeforeItExpires_NotAfterA401()
    {
        await using var host = await HubSpotTestHost.StartAsync(OAuthSettings("refresh-1"), withToken: false);

        await host.Crm.GetAsync("deals", "9002", DealName);
        host.Clock.Advance(TimeSpan.FromSeconds(1500));
        await host.Crm.GetAsync("deals", "9002", DealName);
        Assert.Single(host.Server.TokenRequests);

        // 1680 s into an 1800 s token: still valid, but inside the refresh margin.
        host.Clock.Advance(TimeSpan.FromSeconds(180));
        await host.Crm.GetAsync("deals", "9002", DealName);

        Assert.Equal(2, host.Server.TokenRequests.Count);
        var form = host.Server.TokenRequests.First();
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal("oauth-client", form["client_id"]);
        Assert.Equal("oauth-secret", form["client_secret"]);
        Assert.Equal("refresh-1", form["refresh_token"]);
        var crmCalls = host.Server.Requests.Where(r => r.Path.StartsWith("/crm/", StringComparison.Ordinal)).Select(r => r.Authorization).ToList();
        Assert.Equal(["Bearer oauth-access-1", "Bearer oauth-access-1", "Bearer oauth-access-2"], crmCalls);
    }

    [Fact]
    public async Task OAuth_ThrowsConfigurationNamingTheOAuthSettings_WhenTheRefreshTokenIsRejected()
    {
        await using var host = await HubSpotTestHost.StartAsync(OAuthSettings("revoked"), withToken: false);

        var ex = await Assert.ThrowsAsync<IntegrationException>(() => host.Crm.GetAsync("deals", "9002", DealName));

        Assert.Equal(FailureKind.Configuration, ex.Kind);
        Assert.Contains("HubSpot:OAuth:RefreshToken", ex.Fix, StringComparison.Ordinal);
        Assert.Contains("missing or unknown refresh token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Server.Requests, r => r.Path.StartsWith("/crm/", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> OAuthSettings(string refreshToken) => new()
    {
        ["HubSpot:OAuth:ClientId"] = "oauth-client",
        ["HubSpot:OAuth:ClientSecret"] = "oauth-secret",
        ["HubSpot:OAuth:RefreshToken"] = refreshToken,
        ["HubSpot:OAuth:TokenUrl"] = "{base}oauth/v1/token",
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddLogging()
        .AddHubSpotCrm(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .BuildServiceProvider();
}
