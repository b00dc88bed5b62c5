namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>Where a posted message lives; keep both to <c>chat.update</c> it later.</summary>
public sealed record SlackMessageRef(string Channel, string Ts);

/// <summary>A Slack user as <c>users.info</c> / <c>users.lookupByEmail</c> return it (email needs the users:read.email scope).</summary>
public sealed record SlackUser(string Id, string? Name, string? RealName, string? Email, string? TeamId, bool IsBot, bool Deleted);
