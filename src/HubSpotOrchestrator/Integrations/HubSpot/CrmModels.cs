namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// A CRM record. Property values are HubSpot's strings (dates as ISO or epoch-ms strings, multi-checkbox values ';'-joined).
/// <see cref="Associations"/> maps an object type (e.g. "contacts") to the ids of associated records.
/// </summary>
public sealed record CrmObject(
    string Id,
    IReadOnlyDictionary<string, string?> Properties,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Associations)
{
    public string? this[string property] => Properties.TryGetValue(property, out var value) ? value : null;
}

/// <summary>A record addressed by object type ("deals", "companies", "contacts", "notes", "tasks", or an id like "0-3") and id.</summary>
public sealed record CrmRecordRef(string ObjectType, string Id);

/// <summary>Target property values for one record of a batch update (set, never increment).</summary>
public sealed record CrmObjectUpdate(string Id, IReadOnlyDictionary<string, string?> Properties);

/// <summary>An association type (v4): category HUBSPOT_DEFINED, USER_DEFINED or INTEGRATOR_DEFINED, and its type id.</summary>
public sealed record CrmAssociationType(string Category, int TypeId)
{
    public static CrmAssociationType HubSpotDefined(int typeId) => new("HUBSPOT_DEFINED", typeId);

    public static CrmAssociationType UserDefined(int typeId) => new("USER_DEFINED", typeId);
}

/// <summary>One search filter; operators as HubSpot names them (EQ, NEQ, GT, LT, IN, HAS_PROPERTY, CONTAINS_TOKEN, ...).</summary>
public sealed record CrmFilter(string PropertyName, string Operator, string? Value = null, IReadOnlyList<string>? Values = null);

/// <summary>
/// A CRM search. Filters inside a group are ANDed; groups are ORed. <see cref="After"/> is the paging cursor from the previous page.
/// </summary>
public sealed record CrmSearchRequest(
    IReadOnlyList<IReadOnlyList<CrmFilter>> FilterGroups,
    IReadOnlyList<string> Properties,
    int Limit = 100,
    string? After = null,
    string? SortProperty = null,
    bool SortDescending = false);

public sealed record CrmSearchResult(int Total, IReadOnlyList<CrmObject> Results, string? NextAfter);

/// <summary>A task to create; <see cref="DueAt"/> becomes hs_timestamp.</summary>
public sealed record CrmTaskRequest(
    string Subject,
    string Body,
    DateTimeOffset DueAt,
    string? OwnerId = null,
    string Priority = "MEDIUM",
    string Status = "NOT_STARTED");

/// <summary>A note or task that exists in HubSpot; <see cref="Created"/> is false when an earlier attempt had already created it.</summary>
public sealed record CrmEngagement(string Id, string ObjectType, bool Created);

/// <summary>A HubSpot user who can own records.</summary>
public sealed record HubSpotOwner(string Id, string? Email, string? FirstName, string? LastName)
{
    public string DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name
            ? name
            : Email ?? Id;
}
