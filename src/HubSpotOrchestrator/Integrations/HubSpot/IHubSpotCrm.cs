namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// The HubSpot CRM (v3 objects, v4 associations). Every method throws <see cref="IntegrationException"/> (System "HubSpot")
/// on failure: 404/400 Permanent, 401/403 or missing configuration Configuration, 429/5xx/timeouts after retries Transient.
/// Writes set target values and are safe to repeat; notes and tasks are deduplicated by the caller's idempotency key.
/// </summary>
public interface IHubSpotCrm
{
    /// <summary>Reads one record with the given properties and the ids of associated records of the given types.</summary>
    Task<CrmObject> GetAsync(
        string objectType, string id, IReadOnlyCollection<string> properties, IReadOnlyCollection<string>? associations = null, CancellationToken cancellationToken = default);

    /// <summary>Reads many records (chunks of 100). Ids HubSpot does not know are left out of the result.</summary>
    Task<IReadOnlyList<CrmObject>> BatchReadAsync(
        string objectType, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> properties, CancellationToken cancellationToken = default);

    /// <summary>Sets properties to the given values (PATCH). Returns the record as HubSpot stored it.</summary>
    Task<CrmObject> UpdateAsync(
        string objectType, string id, IReadOnlyDictionary<string, string?> properties, CancellationToken cancellationToken = default);

    /// <summary>Sets properties on many records (chunks of 100); any per-record error fails the call as Permanent.</summary>
    Task<IReadOnlyList<CrmObject>> BatchUpdateAsync(
        string objectType, IReadOnlyList<CrmObjectUpdate> updates, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a note associated with <paramref name="target"/>, once per <paramref name="idempotencyKey"/>
    /// (letters, digits and . _ : / - ; e.g. "run-42:notify-owner"): a repeated call returns the existing note.
    /// </summary>
    Task<CrmEngagement> CreateNoteAsync(
        CrmRecordRef target, string bodyHtml, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Creates a task associated with <paramref name="target"/>, once per <paramref name="idempotencyKey"/>.</summary>
    Task<CrmEngagement> CreateTaskAsync(
        CrmRecordRef target, CrmTaskRequest task, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Associates two records with the default (unlabelled) type (v4). Repeating it is harmless.</summary>
    Task AssociateDefaultAsync(CrmRecordRef from, CrmRecordRef to, CancellationToken cancellationToken = default);

    /// <summary>Associates two records with the given labels (v4 PUT). Repeating it is harmless.</summary>
    Task AssociateAsync(
        CrmRecordRef from, CrmRecordRef to, IReadOnlyList<CrmAssociationType> types, CancellationToken cancellationToken = default);

    /// <summary>Searches one object type (paced at HubSpot's search limit, 4 per second by default).</summary>
    Task<CrmSearchResult> SearchAsync(string objectType, CrmSearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>Looks up an owner (hubspot_owner_id) for name and email.</summary>
    Task<HubSpotOwner> GetOwnerAsync(string ownerId, CancellationToken cancellationToken = default);
}
