using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Workflows.Procurement;

/// <summary>HubSpot deal properties the Procurement Approval workflow reads and writes (section "Procurement").</summary>
public sealed class ProcurementOptions
{
    public const string Section = "Procurement";

    [Required(AllowEmptyStrings = false)]
    public string AmountProperty { get; set; } = "amount";

    [Required(AllowEmptyStrings = false)]
    public string DiscountProperty { get; set; } = "discount_percentage";

    [Required(AllowEmptyStrings = false)]
    public string TermMonthsProperty { get; set; } = "contract_term_months";

    [Required(AllowEmptyStrings = false)]
    public string NonStandardTermsProperty { get; set; } = "non_standard_terms";

    /// <summary>Written with approved / rejected / expired / auto-approved.</summary>
    [Required(AllowEmptyStrings = false)]
    public string StatusProperty { get; set; } = "approval_status";

    [Required(AllowEmptyStrings = false)]
    public string ApprovedByProperty { get; set; } = "approved_by";

    [Required(AllowEmptyStrings = false)]
    public string DecidedAtProperty { get; set; } = "approval_decided_at";
}
