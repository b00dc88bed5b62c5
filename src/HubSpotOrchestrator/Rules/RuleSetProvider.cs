using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Rules;

/// <summary>
/// Holds the active rule set and replaces it atomically when the files change and the new set validates.
/// An invalid change is refused: the last good set stays active and the error is reported.
/// </summary>
internal sealed class RuleSetProvider : IDisposable
{
    private readonly RulesOptions _options;
    private readonly HotReloadedFile<RuleSet, RuleError> _file;

    public RuleSetProvider(IOptions<RulesOptions> options, RuleWorkflowCatalog catalog, IRuleSetStore store, TimeProvider clock, ILogger<RuleSetProvider> logger)
    {
        _options = options.Value;
        _file = new HotReloadedFile<RuleSet, RuleError>(
            "Rule set",
            async (at, ct) =>
            {
                var loaded = await RuleSetLoader.LoadAsync(_options.Path, at.UtcDateTime, catalog, ct);
                return new(loaded.RuleSet, loaded.Errors);
            },
            set => set.Version,
            clock,
            logger,
            activating: set => store.RecordActivation(new RuleSetRecord { Id = set.Version, Version = set.Version, ActivatedAt = set.LoadedAt, Files = set.Files.ToDictionary() }));
        _file.Changed += set => logger.LogInformation("Rule set {RuleSetVersion} active ({FileCount} files)", set.Version, set.Files.Count);
    }

    public RuleSet Current => _file.Current ?? throw new InvalidOperationException("Rules are not loaded yet.");

    public bool IsLoaded => _file.IsLoaded;

    /// <summary>Errors of the last reload that was refused; empty when the last attempt succeeded.</summary>
    public IReadOnlyList<RuleError> LastErrors => _file.LastErrors;

    public DateTime? LastAttemptAt => _file.LastAttemptAt?.UtcDateTime;

    /// <summary>Loads the set at start; an invalid set stops the service with the errors.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var outcome = await ReloadAsync(ct);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("The rule set in " + Path.GetFullPath(_options.Path) + " is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, outcome.Errors.Select(e => "  " + e)));
        }

        if (_options.WatchForChanges)
        {
            _file.Watch(Path.GetFullPath(_options.Path), "*.json", _options.ReloadDebounce);
        }
    }

    /// <summary>Builds a new set from the files; swaps it in only if it is valid.</summary>
    public async Task<RuleSetLoadResult> ReloadAsync(CancellationToken ct = default)
    {
        var outcome = await _file.ReloadAsync(ct);
        return new RuleSetLoadResult(outcome.Value, outcome.Errors);
    }

    public void Dispose() => _file.Dispose();
}
