namespace HubSpotOrchestrator.People;

/// <summary>Who is who for approvals: identities per channel, roles, delegation and absence.</summary>
public interface IPeopleDirectory
{
    /// <summary>Content hash of the directory file, <c>sha256:&lt;16 hex&gt;</c>.</summary>
    string Version { get; }

    IReadOnlyList<Person> People { get; }

    /// <summary>By <see cref="Person.Id"/>, case-insensitive.</summary>
    Person? Find(string id);

    /// <summary>Case-insensitive.</summary>
    Person? FindByEmail(string email);

    Person? FindByTeamsAadObjectId(string aadObjectId);

    Person? FindByTeamsUserId(string teamsUserId);

    Person? FindBySlackUserId(string slackUserId);

    Person? FindByHubSpotOwnerId(string ownerId);

    /// <summary>Accepts the bare id ("77") or a webhook <c>sourceId</c> ("userId:77").</summary>
    Person? FindByHubSpotUserId(string userId);

    /// <summary>Active people holding <paramref name="role"/> (case-insensitive), in file order.</summary>
    IReadOnlyList<Person> WithRole(string role);

    /// <summary>True when the person is inactive or <paramref name="at"/> falls inside their out-of-office window.</summary>
    bool IsAbsent(Person person, DateTimeOffset at);

    /// <summary>The people <paramref name="actor"/> may act as at <paramref name="at"/>: themself (if active) plus every absent person whose Delegate is <paramref name="actor"/>.</summary>
    IReadOnlyList<Person> ActingAs(Person actor, DateTimeOffset at);

    /// <summary>Errors of the last refused reload; empty when the last attempt succeeded.</summary>
    IReadOnlyList<string> LastErrors { get; }
}
