using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Shared;

/// <summary>Settings for CLI verbs, which read configuration without starting the service.</summary>
internal static class SectionBinder
{
    /// <summary>
    /// Binds a section the way the service does and applies its data annotations. Throws
    /// <see cref="OptionsValidationException"/> (or the binder's error for a value it cannot convert) like the service
    /// would at start; Cli turns both into one line per bad key.
    /// </summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var value = configuration.GetSection(section).Get<T>() ?? new T();
        var result = new DataAnnotationValidateOptions<T>(Options.DefaultName).Validate(Options.DefaultName, value);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : value;
    }
}
