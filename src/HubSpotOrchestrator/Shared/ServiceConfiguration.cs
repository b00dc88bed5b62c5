using Microsoft.Extensions.Configuration.Json;

namespace HubSpotOrchestrator.Shared;

/// <summary>Where the service's configuration comes from, for the service and for the CLI verbs alike.</summary>
internal static class ServiceConfiguration
{
    /// <summary>Configuration as the service would see it (appsettings, environment, user secrets), without starting it.</summary>
    public static IConfiguration Load(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray());
        return WithSettingsBesideBinary(builder).Configuration;
    }

    /// <summary>
    /// <c>dotnet run --project src/HubSpotOrchestrator</c> keeps the caller's folder as content root (so ./data and
    /// ./rules are the repository's); the appsettings files ship beside the binary, so read them from there.
    /// </summary>
    public static WebApplicationBuilder WithSettingsBesideBinary(WebApplicationBuilder builder)
    {
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")))
        {
            return builder;
        }

        var sources = (IList<IConfigurationSource>)builder.Configuration.Sources;
        string[] files = ["appsettings.json", $"appsettings.{builder.Environment.EnvironmentName}.json"];
        for (var i = 0; i < files.Length; i++)
        {
            var source = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, files[i]), Optional = true };
            source.ResolveFileProvider();
            sources.Insert(i, source);
        }

        return builder;
    }
}
