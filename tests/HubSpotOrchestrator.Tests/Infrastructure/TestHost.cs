using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

internal sealed class TestHostEnvironment(string environmentName) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;

    public string ApplicationName { get; set; } = "HubSpotOrchestrator.Tests";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}

/// <summary>A container with the feature's real registrations, a fake clock and in-memory configuration.</summary>
internal static class TestHost
{
    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        Action<IServiceCollection, IConfiguration> add,
        FakeTimeProvider time,
        string environment = "Production")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(environment));
        add(services, configuration);
        return services.BuildServiceProvider();
    }
}
