using System.Reflection;
using System.Text.RegularExpressions;
using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Hosting;

/// <summary>
/// Invalid settings end the process with one line per problem on stderr, naming the key (<c>Section:Key</c>, and
/// its environment variable <c>Section__Key</c>) and what to do, and exit code 1; no stack trace. Recognised:
/// options validation failures (data annotations, <see cref="IValidateOptions{TOptions}"/>) and values the
/// configuration binder cannot convert. Anything else is a bug and is left to crash.
/// </summary>
internal static partial class ConfigurationErrors
{
    public const int ExitCode = 1;

    /// <summary>
    /// True when this assembly is the process's entry point, so it decides how the process ends. Hosted in another
    /// process (WebApplicationFactory runs Program's Main on its own thread) the exception goes to that host instead.
    /// </summary>
    public static bool OwnsProcess => Assembly.GetEntryAssembly() == typeof(ConfigurationErrors).Assembly;

    /// <summary>
    /// Runs the <c>ValidateOnStart</c> checks now, right after the app is built: all of them, before anything opens a
    /// store or creates files, and before the host starts (which resolves hosted services first and logs a failure
    /// with a stack trace). Throws <see cref="OptionsValidationException"/> (or an <see cref="AggregateException"/> of them).
    /// </summary>
    public static void ValidateOnStart(IServiceProvider services) =>
        services.GetService<IStartupValidator>()?.Validate();

    /// <summary>Prints the problems and returns the exit code.</summary>
    public static int Report(IReadOnlyList<string> problems, TextWriter stderr)
    {
        foreach (var problem in problems)
        {
            stderr.WriteLine("error: " + problem);
        }

        stderr.Flush();
        return ExitCode;
    }

    /// <summary>One line per configuration problem in <paramref name="exception"/>, or null when it is not a configuration error.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        switch (exception)
        {
            case OptionsValidationException options:
                return options.Failures.Select(f => DescribeFailure(options.OptionsType, f)).Distinct(StringComparer.Ordinal).ToList();
            case AggregateException aggregate:
                var lines = new List<string>();
                foreach (var inner in aggregate.Flatten().InnerExceptions)
                {
                    if (Describe(inner) is not { } innerLines)
                    {
                        return null;
                    }

                    lines.AddRange(innerLines);
                }

                return lines.Count == 0 ? null : lines.Distinct(StringComparer.Ordinal).ToList();
            case TargetInvocationException { InnerException: { } inner }:
                return Describe(inner);
            case StartupProblemException problem:
                return [problem.Message];
            case InvalidOperationException when FailedConversion().Match(exception.Message) is { Success: true } m:
                return [DescribeConversion(m.Groups["key"].Value, m.Groups["value"].Success ? m.Groups["value"].Value : null, m.Groups["type"].Value, exception)];
            default:
                return null;
        }
    }

    private static string DescribeFailure(Type optionsType, string failure)
    {
        var section = SectionOf(optionsType);
        var annotation = DataAnnotationFailure().Match(failure);
        if (!annotation.Success)
        {
            // Our IValidateOptions classes name their keys; others get the section at least.
            return Line(KeyPattern().IsMatch(failure) ? failure : $"{section}: {failure}");
        }

        var members = annotation.Groups["members"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var member = members.FirstOrDefault() ?? "";
        var key = member.Length == 0 ? section : section + ":" + member.Replace('.', ':');
        var error = annotation.Groups["error"].Value;
        var property = member.Split('.')[^1];
        error = error
            .Replace($"The {property} field is required.", $"{key} is empty: set a value, or remove the setting to use the default.", StringComparison.Ordinal)
            .Replace($"The field {property} ", key + " ", StringComparison.Ordinal)
            .Replace($"The {property} field ", key + " ", StringComparison.Ordinal);
        if (!error.Contains(key, StringComparison.Ordinal))
        {
            error = $"{key}: {error}";
        }

        return Line(error);
    }

    private static string DescribeConversion(string key, string? value, string typeName, Exception exception)
    {
        var type = Type.GetType(typeName, throwOnError: false);
        if (type is not null && Nullable.GetUnderlyingType(type) is { } underlying)
        {
            type = underlying;
        }

        var overflow = Inner(exception).Any(e => e is OverflowException);
        var expected = type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) =>
                overflow ? $"a whole number in the range of {type.Name}" : "a whole number (e.g. 100)",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number (e.g. 12.5, with a dot)",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span written [d.]hh:mm:ss (e.g. 00:00:30 for 30 seconds, 00:05:00 for 5 minutes, 1.00:00:00 for a day)",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date and time (e.g. 2025-01-31T09:00:00Z)",
            _ when type == typeof(Uri) => "a URL",
            _ when type == typeof(Guid) => "a GUID",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => $"a valid {type?.Name ?? typeName}",
        };
        var got = value is null ? "" : $" '{(value.Length > 80 ? value[..80] + "…" : value)}'";
        return Line($"{key} has the value{got}, which is not {expected}: correct it, or remove the setting to use the default.", key);
    }

    /// <summary>One line, ending with the environment variables of the keys it names (Section:Key is Section__Key there).</summary>
    private static string Line(string message, string? key = null)
    {
        message = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var keys = key is not null ? [key] : KeyPattern().Matches(message).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        keys.RemoveAll(k => keys.Any(other => other.StartsWith(k + ":", StringComparison.Ordinal)));
        return keys.Count == 0
            ? message
            : $"{message.TrimEnd('.')} (environment variable{(keys.Count > 1 ? "s" : "")} {string.Join(", ", keys.Select(k => k.Replace(":", "__", StringComparison.Ordinal)))}).";
    }

    /// <summary>The section an options class binds to: its <c>Section</c> or <c>SectionName</c> constant.</summary>
    private static string SectionOf(Type optionsType) =>
        optionsType.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, Name: "Section" or "SectionName" } && f.FieldType == typeof(string))
            .Select(f => (string?)f.GetRawConstantValue())
            .FirstOrDefault(s => !string.IsNullOrEmpty(s))
        ?? (optionsType.Name.EndsWith("Options", StringComparison.Ordinal) ? optionsType.Name[..^"Options".Length] : optionsType.Name);

    private static IEnumerable<Exception> Inner(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>ConfigurationBinder: "Failed to convert configuration value 'abc' at 'Webhooks:MaxBodyBytes' to type 'System.Int32'."</summary>
    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>.*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FailedConversion();

    /// <summary>ValidateDataAnnotations: "DataAnnotation validation failed for 'X' members: 'A,B' with the error: '…'."</summary>
    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DataAnnotationFailure();

    /// <summary>A configuration key as people write it: Section:Key, Section:Sub:Key, Section:Sub:* (all keys below).</summary>
    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*(?::[A-Z][A-Za-z0-9]*)+(?::\*)?", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
