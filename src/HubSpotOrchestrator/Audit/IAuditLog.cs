namespace HubSpotOrchestrator.Audit;

public sealed record AuditVerification(bool Intact, long Entries, long? BrokenAt, string? Reason);

public interface IAuditLog
{
    AuditEntry Append(string actor, string action, string subject, string outcome, DateTime at, string? correlationId = null,
        string? channel = null, string? onBehalfOf = null, IReadOnlyDictionary<string, string>? details = null);

    IReadOnlyList<AuditEntry> Query(string? subject, int limit);

    AuditVerification Verify();
}
