using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.People;

/// <summary>
/// Holds the active people directory and replaces it atomically when the file changes and the new content validates.
/// An invalid change is refused: the last good directory stays active and the errors are exposed and logged.
/// </summary>
internal sealed class DirectoryProvider : IPeopleDirectory, IDisposable
{
    private readonly DirectoryOptions _options;
    private readonly HotReloadedFile<DirectorySnapshot, DirectoryError> _file;

    public DirectoryProvider(IOptions<DirectoryOptions> options, TimeProvider clock, ILogger<DirectoryProvider> logger)
    {
        _options = options.Value;
        _file = new HotReloadedFile<DirectorySnapshot, DirectoryError>(
            "People directory",
            async (_, ct) =>
            {
                var loaded = await DirectoryLoader.LoadAsync(_options.Path, ct);
                return new(loaded.Snapshot, loaded.Errors);
            },
            snapshot => snapshot.Version,
            clock,
            logger);
        _file.Changed += snapshot => logger.LogInformation("People directory {DirectoryVersion} active ({PeopleCount} people)", snapshot.Version, snapshot.People.Count);
    }

    /// <summary>The active snapshot; take it once to answer several questions from the same version.</summary>
    public DirectorySnapshot Current => _file.Current ?? throw new InvalidOperationException("The people directory is not loaded yet.");

    public bool IsLoaded => _file.IsLoaded;

    /// <summary>Errors of the last refused reload, with file, line and person.</summary>
    public IReadOnlyList<DirectoryError> LastReloadErrors => _file.LastErrors;

    public DateTimeOffset? LastAttemptAt => _file.LastAttemptAt;

    public string Version => Current.Version;

    public IReadOnlyList<Person> People => Current.People;

    public IReadOnlyList<string> LastErrors => [.. LastReloadErrors.Select(e => e.ToString())];

    public Person? Find(string id) => Current.Find(id);

    public Person? FindByEmail(string email) => Current.FindByEmail(email);

    public Person? FindByTeamsAadObjectId(string aadObjectId) => Current.FindByTeamsAadObjectId(aadObjectId);

    public Person? FindByTeamsUserId(string teamsUserId) => Current.FindByTeamsUserId(teamsUserId);

    public Person? FindBySlackUserId(string slackUserId) => Current.FindBySlackUserId(slackUserId);

    public Person? FindByHubSpotOwnerId(string ownerId) => Current.FindByHubSpotOwnerId(ownerId);

    public Person? FindByHubSpotUserId(string userId) => Current.FindByHubSpotUserId(userId);

    public IReadOnlyList<Person> WithRole(string role) => Current.WithRole(role);

    public bool IsAbsent(Person person, DateTimeOffset at) => Current.IsAbsent(person, at);

    public IReadOnlyList<Person> ActingAs(Person actor, DateTimeOffset at) => Current.ActingAs(actor, at);

    /// <summary>Loads the directory at start; a missing or invalid file stops the service with the errors.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var outcome = await ReloadAsync(ct);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"The people directory {Path.GetFullPath(_options.Path)} (set by {DirectoryOptions.Section}:Path) cannot be loaded:"
                + Environment.NewLine + string.Join(Environment.NewLine, outcome.Errors.Select(e => "  " + e)));
        }

        if (_options.WatchForChanges)
        {
            var full = Path.GetFullPath(_options.Path);
            _file.Watch(Path.GetDirectoryName(full)!, Path.GetFileName(full), _options.ReloadDebounce);
        }
    }

    /// <summary>Reads the file again; swaps the new directory in only if it is valid.</summary>
    public async Task<DirectoryLoadResult> ReloadAsync(CancellationToken ct = default)
    {
        var outcome = await _file.ReloadAsync(ct);
        return new DirectoryLoadResult(outcome.Value, outcome.Errors);
    }

    public void Dispose() => _file.Dispose();
}
