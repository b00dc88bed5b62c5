namespace HubSpotOrchestrator.Audit;

public static class AuditActors
{
    /// <summary>The actor of entries the service writes on its own (timers, the run engine, policies).</summary>
    public const string System = "system";
}
