using System.Globalization;
using System.Net.Http.Headers;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>Tests that start the whole service share Hangfire's static configuration, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the Collection suffix is xUnit's naming convention.")]
public sealed class AppCollection
{
    public const string Name = "app";
}

/// <summary>
/// The real service over a real LiteDB file, a real Hangfire SQLite file and a private copy of rules/, all in a
/// temp folder. <see cref="Settings"/> may be changed before the first client is created.
/// </summary>
public class OrchestratorFactory : WebApplicationFactory<Program>
{
    public const string ClientSecret = "test-client-secret-0123456789abcdef";

    private readonly bool _ownsDataDir;

    /// <summary>On a new temp folder, deleted on dispose. (xUnit class fixtures need this to be the only public constructor.)</summary>
    public OrchestratorFactory()
        : this(null)
    {
    }

    /// <param name="dataDir">
    /// The data folder of an earlier (disposed) service to start again on, as after a restart; it stays for its owner to
    /// delete. A new temp folder, deleted on dispose, when null.
    /// </param>
    protected OrchestratorFactory(string? dataDir)
    {
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? TestPaths.NewTempDir();
        RulesDir = Path.Combine(DataDir, "rules");
        Directory.CreateDirectory(RulesDir);
        foreach (var file in Directory.EnumerateFiles(TestPaths.Rules, "*.json"))
        {
            File.Copy(file, Path.Combine(RulesDir, Path.GetFileName(file)), overwrite: true);
        }

        DirectoryFile = Path.Combine(DataDir, "directory.json");
        File.Copy(Path.Combine(TestPaths.RepoRoot, "config", "directory.json"), DirectoryFile, overwrite: true);
        Settings = new Dictionary<string, string?>
        {
            ["Directory:Path"] = DirectoryFile,
            ["Cards:Path"] = TestPaths.Cards,
            ["Storage:DataPath"] = DataDir,
            ["Rules:Path"] = RulesDir,
            ["Rules:ReloadDebounce"] = "00:00:00.100",
            ["HubSpot:ClientSecret"] = ClientSecret,
            ["HubSpot:PublicBaseUrl"] = "https://hso.test.example",
            ["Jobs:QueuePollInterval"] = "00:00:00.050",
            ["Jobs:WorkerCount"] = "4",

            // The periodic sweeps stay out of the way of tests that set up a state and sweep it themselves (their
            // start-up pass still runs); a test that wants them sets a shorter interval.
            ["Webhooks:SweepInterval"] = "01:00:00",
            ["Workflows:SweepInterval"] = "01:00:00",
        };
    }

    public string DataDir { get; }

    public string RulesDir { get; }

    public string DirectoryFile { get; }

    public Dictionary<string, string?> Settings { get; }

    public string PublicBaseUrl => Settings["HubSpot:PublicBaseUrl"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings));
        builder.ConfigureServices(ConfigureTestServices);
        if (Environment.GetEnvironmentVariable("HSO_TEST_LOG") is { Length: > 0 } log)
        {
            builder.ConfigureLogging(l => l.AddProvider(new FileLoggerProvider(log)));
        }
    }

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client with an API token for <paramref name="roles"/>.</summary>
    public HttpClient ApiClient(params string[] roles)
    {
        var client = CreateClient();
        var token = Service<TokenIssuer>().Mint("tester@example.com", roles.Length == 0 ? [Roles.Viewer] : roles, TimeSpan.FromMinutes(30));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A request signed like HubSpot (v3) for the public URL the service is configured with.</summary>
    public HttpRequestMessage SignedRequest(string pathAndQuery, byte[] body, DateTimeOffset? at = null, string? secret = null, string contentType = "application/json")
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-HubSpot-Signature-v3", HubSpotSignature.V3(secret ?? ClientSecret, "POST", PublicBaseUrl + pathAndQuery, body, timestamp));
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return request;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // Hangfire's SQLite file can still be closing; the temp folder is cleaned by the OS later.
            }
        }
    }
}

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => TrueAsync(condition, () => what, timeout);

    public static async Task TrueAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for: " + what());
            }

            await Task.Delay(50);
        }
    }
}
