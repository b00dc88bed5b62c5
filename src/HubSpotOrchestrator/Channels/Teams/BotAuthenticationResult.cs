using System.Security.Claims;

namespace HubSpotOrchestrator.Channels.Teams;

public enum BotAuthenticationFailure
{
    None,
    MissingToken,
    MalformedHeader,
    MalformedToken,
    DisallowedAlgorithm,
    UnknownSigningKey,
    InvalidSignature,
    InvalidIssuer,
    InvalidAudience,
    Expired,
    NotYetValid,
    InvalidToken,
    MissingEndorsement,
    ServiceUrlMismatch,
    NotConfigured,
    MetadataUnavailable,
}

/// <summary>The outcome of checking an inbound Bot Framework request. <see cref="Reason"/> never contains the token.</summary>
public sealed record BotAuthenticationResult
{
    public bool Succeeded { get; private init; }

    /// <summary>True when the request carried no token and anonymous development mode let it through.</summary>
    public bool IsAnonymous { get; private init; }

    public BotAuthenticationFailure Failure { get; private init; }

    public string? Reason { get; private init; }

    public ClaimsIdentity? Identity { get; private init; }

    public static BotAuthenticationResult Authenticated(ClaimsIdentity identity) => new() { Succeeded = true, Identity = identity };

    public static BotAuthenticationResult Anonymous() => new() { Succeeded = true, IsAnonymous = true };

    public static BotAuthenticationResult Failed(BotAuthenticationFailure failure, string reason) =>
        new() { Failure = failure, Reason = reason };
}
