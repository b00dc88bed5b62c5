using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Cards;

public static class CardsSetup
{
    /// <summary>
    /// Registers the card catalog (Cards:Path, default "cards") and the renderer. The catalog is built and validated
    /// at start: a template that fails against its sample data stops the service with the file and JSON pointer.
    /// </summary>
    public static IServiceCollection AddCards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CardsOptions>().Bind(configuration.GetSection(CardsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<CardsOptions>>().Value.Path;
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            return CardCatalog.Load(Path.GetFullPath(Path.Combine(root, path)));
        });
        services.AddSingleton<ICardCatalog>(sp => sp.GetRequiredService<CardCatalog>());
        services.AddSingleton<ICardRenderer, CardRenderer>();
        services.AddHostedService<CardCatalogStartupCheck>();
        return services;
    }
}

/// <summary>Resolves the catalog while the host starts, so bad templates stop the service instead of the first render.</summary>
internal sealed class CardCatalogStartupCheck(CardCatalog catalog, ILogger<CardCatalogStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Loaded {Count} card templates", catalog.Names.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
