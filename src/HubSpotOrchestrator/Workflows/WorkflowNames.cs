namespace HubSpotOrchestrator.Workflows;

/// <summary>The workflows routing may start; a routing rule naming anything else is refused at load.</summary>
public static class WorkflowNames
{
    public const string CompanyIntake = "CompanyIntake";
    public const string ContactRoleMapping = "ContactRoleMapping";
    public const string DealKickoff = "DealKickoff";
    public const string ProcurementApproval = "ProcurementApproval";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CompanyIntake, ContactRoleMapping, DealKickoff, ProcurementApproval,
    };
}
