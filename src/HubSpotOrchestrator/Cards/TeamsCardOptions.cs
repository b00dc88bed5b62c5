using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards;

/// <summary>
/// Teams-only additions. With <see cref="RefreshUserIds"/>, the card carries a Universal Actions <c>refresh</c>
/// so those users (approvers; at most 5 per the AC docs) get their own view with buttons and everyone else sees status.
/// </summary>
public sealed record TeamsCardOptions(IReadOnlyList<string>? RefreshUserIds = null, string RefreshVerb = "refreshCard", JsonObject? RefreshData = null);
