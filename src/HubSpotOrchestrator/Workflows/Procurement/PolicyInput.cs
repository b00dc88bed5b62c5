using System.Globalization;

namespace HubSpotOrchestrator.Workflows.Procurement;

/// <summary>The typed input of <c>rules/procurement-policy.json</c>, named <c>deal</c> in expressions.</summary>
public sealed class PolicyInput
{
    public decimal Amount { get; set; }

    /// <summary>Percent, e.g. 27.5.</summary>
    public decimal DiscountPercent { get; set; }

    public int TermMonths { get; set; }

    public string Pipeline { get; set; } = "";

    public string Stage { get; set; } = "";

    public string OwnerId { get; set; } = "";

    public bool NonStandardTerms { get; set; }

    public string CompanyName { get; set; } = "";

    public string Currency { get; set; } = "";

    public string DealName { get; set; } = "";

    public Dictionary<string, string> ToDictionary() => new()
    {
        [nameof(Amount)] = Amount.ToString(CultureInfo.InvariantCulture),
        [nameof(DiscountPercent)] = DiscountPercent.ToString(CultureInfo.InvariantCulture),
        [nameof(TermMonths)] = TermMonths.ToString(CultureInfo.InvariantCulture),
        [nameof(Pipeline)] = Pipeline,
        [nameof(Stage)] = Stage,
        [nameof(OwnerId)] = OwnerId,
        [nameof(NonStandardTerms)] = NonStandardTerms ? "true" : "false",
        [nameof(CompanyName)] = CompanyName,
        [nameof(Currency)] = Currency,
        [nameof(DealName)] = DealName,
    };
}
