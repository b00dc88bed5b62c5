using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Routing;

/// <summary>
/// The typed input of <c>rules/routing.json</c>, named <c>e</c> in expressions. A concrete type (not
/// ExpandoObject) so RulesEngine compiles each rule once per rule-set version.
/// </summary>
public sealed class RoutingInput
{
    /// <summary>e.g. <c>deal.propertyChange</c>, <c>company.creation</c>, <c>workflow.webhook</c>.</summary>
    public string SubscriptionType { get; set; } = "";

    /// <summary>The part after the dot of <see cref="SubscriptionType"/>: creation, propertyChange, associationChange, merge, deletion, restore.</summary>
    public string EventKind { get; set; } = "";

    /// <summary>deal, company, contact, …</summary>
    public string ObjectType { get; set; } = "";

    public long ObjectId { get; set; }

    public string PropertyName { get; set; } = "";

    public string PropertyValue { get; set; } = "";

    public string ChangeSource { get; set; } = "";

    public string SourceId { get; set; } = "";

    public long PortalId { get; set; }

    /// <summary>For association changes, e.g. <c>DEAL_TO_CONTACT</c>.</summary>
    public string AssociationType { get; set; } = "";

    public bool AssociationRemoved { get; set; }

    /// <summary>The last deal stage this service saw for the deal (empty when unknown).</summary>
    public string DealStage { get; set; } = "";

    /// <summary>True when the last known stage is closedwon or closedlost.</summary>
    public bool DealIsClosed { get; set; }

    /// <summary>For workflow "Send a webhook" actions: the <c>action</c> query parameter of the configured URL.</summary>
    public string WorkflowAction { get; set; } = "";

    /// <summary>The routing view of a stored event; <paramref name="dealStage"/> is the last stage seen for a deal, if any.</summary>
    public static RoutingInput From(InboxEvent e, string? dealStage, IEnumerable<string> closedStages)
    {
        var dot = e.SubscriptionType.IndexOf('.', StringComparison.Ordinal);
        var stage = dealStage ?? "";
        return new RoutingInput
        {
            SubscriptionType = e.SubscriptionType,
            EventKind = dot >= 0 ? e.SubscriptionType[(dot + 1)..] : "",
            ObjectType = e.ObjectType,
            ObjectId = e.ObjectId,
            PropertyName = e.PropertyName ?? "",
            PropertyValue = e.PropertyValue ?? "",
            ChangeSource = e.ChangeSource ?? "",
            SourceId = e.SourceId ?? "",
            PortalId = e.PortalId,
            AssociationType = e.AssociationType ?? "",
            AssociationRemoved = e.AssociationRemoved ?? false,
            DealStage = stage,
            DealIsClosed = stage.Length > 0 && closedStages.Contains(stage, StringComparer.OrdinalIgnoreCase),
            WorkflowAction = e.WorkflowAction ?? "",
        };
    }

    public Dictionary<string, string?> ToDictionary() => new()
    {
        [nameof(SubscriptionType)] = SubscriptionType,
        [nameof(EventKind)] = EventKind,
        [nameof(ObjectType)] = ObjectType,
        [nameof(ObjectId)] = ObjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(PropertyName)] = PropertyName,
        [nameof(PropertyValue)] = PropertyValue,
        [nameof(ChangeSource)] = ChangeSource,
        [nameof(SourceId)] = SourceId,
        [nameof(PortalId)] = PortalId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(AssociationType)] = AssociationType,
        [nameof(AssociationRemoved)] = AssociationRemoved ? "true" : "false",
        [nameof(DealStage)] = DealStage,
        [nameof(DealIsClosed)] = DealIsClosed ? "true" : "false",
        [nameof(WorkflowAction)] = WorkflowAction,
    };
}
