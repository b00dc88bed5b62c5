namespace HubSpotOrchestrator.People;

/// <summary>A window in which a person is away; <see cref="From"/> is inclusive, <see cref="Until"/> exclusive.</summary>
public sealed record OutOfOffice(DateTimeOffset From, DateTimeOffset Until)
{
    public bool Covers(DateTimeOffset at) => at >= From && at < Until;
}

/// <summary>One entry of the people directory (config/directory.json).</summary>
public sealed record Person(string Id, string Name, string Email, IReadOnlyList<string> Roles,
    string? TeamsAadObjectId = null, string? TeamsUserId = null, string? SlackUserId = null,
    string? HubSpotOwnerId = null, string? HubSpotUserId = null, string? Delegate = null,
    OutOfOffice? OutOfOffice = null, bool Active = true)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);
}
