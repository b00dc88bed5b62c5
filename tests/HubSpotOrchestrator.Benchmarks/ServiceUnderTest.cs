using System.Net;
using System.Net.Sockets;
using HubSpotOrchestrator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// The real service (ServiceApp.Build) on Kestrel 127.0.0.1 with a free port, a temp data folder and the
/// repository's rules/, in this process. Logging is lowered to Warning so console output does not dominate.
/// </summary>
internal sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string ClientSecret = "bench-client-secret-0123456789abcdef";
    public const string WebhookPath = "/webhooks/hubspot";

    private ServiceUnderTest(WebApplication app, string dataDir, int port)
    {
        App = app;
        DataDir = dataDir;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public string BaseUrl { get; }

    /// <summary>The URI the service sees and so the one v3 signatures cover (no PublicBaseUrl configured).</summary>
    public string SignedUri => BaseUrl + WebhookPath;

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static Task<ServiceUnderTest> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    public static async Task<ServiceUnderTest> StartAsync(Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        var dataDir = RepoPaths.NewTempDir();
        var port = FreePort();
        string[] args =
        [
            $"--Urls=http://127.0.0.1:{port}",
            $"--Storage:DataPath={dataDir}",
            $"--Rules:Path={RepoPaths.Rules}",
            "--Rules:WatchForChanges=false",
            $"--HubSpot:ClientSecret={ClientSecret}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            "--Logging:LogLevel:Hangfire=Warning",
            .. extraArgs,
        ];
        var app = ServiceApp.Build(args, configureServices);
        await app.StartAsync();
        return new ServiceUnderTest(app, dataDir, port);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Hangfire's SQLite file may still be closing; the OS cleans temp later.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
