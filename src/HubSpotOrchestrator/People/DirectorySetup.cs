
namespace HubSpotOrchestrator.People;

public static class DirectorySetup
{
    /// <summary>
    /// The people directory (<c>Directory:Path</c>, default config/directory.json): loaded before the server listens,
    /// reloaded on change. Register <see cref="DirectoryHealthCheck"/> to see refused reloads.
    /// </summary>
    public static IServiceCollection AddPeopleDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DirectoryProvider>();
        services.AddSingleton<IPeopleDirectory>(sp => sp.GetRequiredService<DirectoryProvider>());
        services.AddHostedService<DirectoryStartup>();
        return services;
    }
}

/// <summary>Loads the directory before the server listens; a missing or invalid file stops the service.</summary>
internal sealed class DirectoryStartup(DirectoryProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => provider.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
