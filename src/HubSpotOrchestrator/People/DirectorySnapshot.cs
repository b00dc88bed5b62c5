using System.Collections.Frozen;

namespace HubSpotOrchestrator.People;

/// <summary>A validated directory with its lookup tables. Immutable: a change builds a new one.</summary>
internal sealed class DirectorySnapshot : IPeopleDirectory
{
    private const string HubSpotUserPrefix = "userId:";

    private readonly FrozenDictionary<string, Person> _byId;
    private readonly FrozenDictionary<string, Person> _byEmail;
    private readonly FrozenDictionary<string, Person> _byAadObjectId;
    private readonly FrozenDictionary<string, Person> _byTeamsUserId;
    private readonly FrozenDictionary<string, Person> _bySlackUserId;
    private readonly FrozenDictionary<string, Person> _byHubSpotOwnerId;
    private readonly FrozenDictionary<string, Person> _byHubSpotUserId;
    private readonly FrozenDictionary<string, Person[]> _activeByRole;
    private readonly FrozenDictionary<string, Person[]> _delegatorsByDelegate;

    /// <param name="people">Already validated: ids, emails and channel ids are unique.</param>
    public DirectorySnapshot(string version, string file, IReadOnlyList<Person> people)
    {
        Version = version;
        File = file;
        People = people;
        _byId = Index(p => p.Id, StringComparer.OrdinalIgnoreCase);
        _byEmail = Index(p => p.Email, StringComparer.OrdinalIgnoreCase);
        _byAadObjectId = Index(p => p.TeamsAadObjectId, StringComparer.OrdinalIgnoreCase);
        _byTeamsUserId = Index(p => p.TeamsUserId, StringComparer.Ordinal);
        _bySlackUserId = Index(p => p.SlackUserId, StringComparer.Ordinal);
        _byHubSpotOwnerId = Index(p => p.HubSpotOwnerId, StringComparer.Ordinal);
        _byHubSpotUserId = Index(p => p.HubSpotUserId, StringComparer.Ordinal);
        _activeByRole = people.Where(p => p.Active)
            .SelectMany(p => p.Roles.Select(r => (Role: r, Person: p)))
            .GroupBy(x => x.Role, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Person).Distinct().ToArray(), StringComparer.OrdinalIgnoreCase);
        _delegatorsByDelegate = people.Where(p => p.Delegate is not null)
            .GroupBy(p => p.Delegate!, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);

        FrozenDictionary<string, Person> Index(Func<Person, string?> key, StringComparer comparer) =>
            people.Where(p => key(p) is not null).ToFrozenDictionary(p => key(p)!, comparer);
    }

    public string Version { get; }

    /// <summary>The file this snapshot was loaded from, as configured.</summary>
    public string File { get; }

    public IReadOnlyList<Person> People { get; }

    public IReadOnlyList<string> LastErrors => [];

    public Person? Find(string id) => Lookup(_byId, id);

    public Person? FindByEmail(string email) => Lookup(_byEmail, email?.Trim());

    public Person? FindByTeamsAadObjectId(string aadObjectId) => Lookup(_byAadObjectId, aadObjectId);

    public Person? FindByTeamsUserId(string teamsUserId) => Lookup(_byTeamsUserId, teamsUserId);

    public Person? FindBySlackUserId(string slackUserId) => Lookup(_bySlackUserId, slackUserId);

    public Person? FindByHubSpotOwnerId(string ownerId) => Lookup(_byHubSpotOwnerId, ownerId);

    public Person? FindByHubSpotUserId(string userId) =>
        Lookup(_byHubSpotUserId, userId is not null && userId.StartsWith(HubSpotUserPrefix, StringComparison.Ordinal) ? userId[HubSpotUserPrefix.Length..] : userId);

    public IReadOnlyList<Person> WithRole(string role) =>
        role is not null && _activeByRole.TryGetValue(role, out var people) ? people : [];

    public bool IsAbsent(Person person, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(person);
        return !person.Active || (person.OutOfOffice?.Covers(at) ?? false);
    }

    public IReadOnlyList<Person> ActingAs(Person actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(actor);

        // Judge the actor by this snapshot's entry, not a possibly stale copy; someone deactivated or removed acts for nobody.
        var current = Find(actor.Id);
        if (current is null || !current.Active)
        {
            return [];
        }

        var result = new List<Person> { current };
        if (_delegatorsByDelegate.TryGetValue(current.Id, out var delegators))
        {
            result.AddRange(delegators.Where(p => !ReferenceEquals(p, current) && IsAbsent(p, at)));
        }

        return result;
    }

    private static Person? Lookup(FrozenDictionary<string, Person> index, string? key) =>
        string.IsNullOrEmpty(key) ? null : index.GetValueOrDefault(key);
}
