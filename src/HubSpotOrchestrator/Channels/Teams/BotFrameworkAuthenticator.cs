using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Validates the JWT on an inbound Bot Framework request (protocols.md §2.2), without the Bot Framework SDK.</summary>
public sealed class BotFrameworkAuthenticator
{
    /// <summary>Bot Framework AuthenticationConstants.ToBotFromChannelTokenIssuer.</summary>
    public const string ChannelTokenIssuer = "https://api.botframework.com";

    /// <summary>Bot Framework AuthenticationConstants.ServiceUrlClaim.</summary>
    public const string ServiceUrlClaim = "serviceurl";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly TeamsOptions _options;
    private readonly bool _anonymousAllowed;
    private readonly IConfigurationManager<BotSigningMetadata> _metadata;
    private readonly TrustedServiceUrls _trustedServiceUrls;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new();

    internal BotFrameworkAuthenticator(
        IOptions<TeamsOptions> options,
        IHostEnvironment environment,
        IConfigurationManager<BotSigningMetadata> metadata,
        TrustedServiceUrls trustedServiceUrls,
        TimeProvider timeProvider,
        ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _anonymousAllowed = _options.AllowAnonymousInDevelopment && environment.IsDevelopment();
        _metadata = metadata;
        _trustedServiceUrls = trustedServiceUrls;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public bool AnonymousAllowed => _anonymousAllowed;

    /// <param name="authorizationHeader">The raw <c>Authorization</c> header value, or null when absent.</param>
    public async Task<BotAuthenticationResult> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var result = await ValidateAsync(authorizationHeader, activity, cancellationToken);
        if (result.Succeeded)
        {
            _trustedServiceUrls.TrustValidated(activity.ServiceUrl!);
        }
        else
        {
            _logger.LogWarning(
                "Rejected Bot Framework request for activity {ActivityId} ({ActivityType}) from serviceUrl {ServiceUrl}: {Failure} {Reason}",
                activity.Id, activity.Type, activity.ServiceUrl, result.Failure, result.Reason);
        }

        return result;
    }

    private async Task<BotAuthenticationResult> ValidateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        if (TrustedServiceUrls.Normalize(activity.ServiceUrl) is null)
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.ServiceUrlMismatch, "The activity has no absolute http(s) serviceUrl.");
        }

        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            if (_anonymousAllowed)
            {
                _logger.LogDebug("Accepted activity {ActivityId} without a token (Teams:AllowAnonymousInDevelopment)", activity.Id);
                return BotAuthenticationResult.Anonymous();
            }

            return BotAuthenticationResult.Failed(BotAuthenticationFailure.MissingToken, "No Authorization header.");
        }

        const string bearer = "Bearer ";
        if (!authorizationHeader.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || authorizationHeader.Length == bearer.Length)
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.MalformedHeader, "The Authorization header is not 'Bearer <token>'.");
        }

        if (string.IsNullOrWhiteSpace(_options.AppId))
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.NotConfigured, "Teams:AppId is not set, so no audience can be checked.");
        }

        var token = authorizationHeader[bearer.Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.MalformedToken, "The bearer token is not a well-formed JWT.");
        }

        // Bot Framework metadata: id_token_signing_alg_values_supported = ["RS256"]; this rejects "none" and HS256 key-confusion tokens up front.
        if (!string.Equals(jwt.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal))
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.DisallowedAlgorithm, $"Token algorithm '{jwt.Alg}' is not allowed; only RS256 is.");
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.UnknownSigningKey, "The token header has no 'kid'.");
        }

        SigningKeyEntry? key;
        try
        {
            key = await FindKeyAsync(jwt.Kid, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(ex, "Could not load the Bot Framework signing metadata from {MetadataUrl}", _options.OpenIdMetadataUrl);
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.MetadataUnavailable, "The signing keys could not be loaded.");
        }

        if (key is null)
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.UnknownSigningKey, $"Signing key '{jwt.Kid}' is not in the Bot Framework key set.");
        }

        var validation = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = ChannelTokenIssuer,
            ValidAudience = _options.AppId,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = ValidateLifetime,
            TryAllIssuerSigningKeys = false,
        });

        if (!validation.IsValid)
        {
            return MapFailure(validation.Exception);
        }

        // Bot Framework auth step 3: the signing key must endorse the channel the activity claims to come from.
        if (string.IsNullOrEmpty(activity.ChannelId) || !key.Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.MissingEndorsement, $"Signing key '{jwt.Kid}' does not endorse channel '{activity.ChannelId}'.");
        }

        // Bot Framework auth step 5: the serviceurl claim pins where replies (and the outbound token) may go.
        var claimed = validation.ClaimsIdentity.FindFirst(ServiceUrlClaim)?.Value;
        if (claimed is null || !string.Equals(TrustedServiceUrls.Normalize(claimed), TrustedServiceUrls.Normalize(activity.ServiceUrl), StringComparison.Ordinal))
        {
            return BotAuthenticationResult.Failed(BotAuthenticationFailure.ServiceUrlMismatch, $"The token's serviceurl claim '{claimed}' does not match the activity serviceUrl '{activity.ServiceUrl}'.");
        }

        return BotAuthenticationResult.Authenticated(validation.ClaimsIdentity);
    }

    // Bot Framework auth step 4: nbf/exp with 5 minutes of clock skew, against the injected clock.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        }

        if (notBefore is { } nbf && nbf > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        if (expires.Value < now - ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    }

    private async Task<SigningKeyEntry?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var metadata = await _metadata.GetConfigurationAsync(cancellationToken);
        if (metadata.Keys.TryGetValue(kid, out var key))
        {
            return key;
        }

        // Keys rotate: an unknown kid asks for a fresh JWKS (rate-limited by the configuration manager's RefreshInterval).
        _metadata.RequestRefresh();
        metadata = await _metadata.GetConfigurationAsync(cancellationToken);
        return metadata.Keys.GetValueOrDefault(kid);
    }

    private static BotAuthenticationResult MapFailure(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => BotAuthenticationResult.Failed(BotAuthenticationFailure.InvalidIssuer, $"The issuer is not {ChannelTokenIssuer}."),
        SecurityTokenInvalidAudienceException => BotAuthenticationResult.Failed(BotAuthenticationFailure.InvalidAudience, "The audience is not this bot's Teams:AppId."),
        SecurityTokenExpiredException => BotAuthenticationResult.Failed(BotAuthenticationFailure.Expired, "The token has expired (5 minutes clock skew allowed)."),
        SecurityTokenNotYetValidException => BotAuthenticationResult.Failed(BotAuthenticationFailure.NotYetValid, "The token is not valid yet (5 minutes clock skew allowed)."),
        SecurityTokenNoExpirationException => BotAuthenticationResult.Failed(BotAuthenticationFailure.InvalidToken, "The token has no expiry."),
        SecurityTokenInvalidAlgorithmException => BotAuthenticationResult.Failed(BotAuthenticationFailure.DisallowedAlgorithm, "Only RS256 is allowed."),
        SecurityTokenSignatureKeyNotFoundException => BotAuthenticationResult.Failed(BotAuthenticationFailure.UnknownSigningKey, "The signing key is not in the Bot Framework key set."),
        SecurityTokenInvalidSignatureException => BotAuthenticationResult.Failed(BotAuthenticationFailure.InvalidSignature, "The signature does not verify."),
        _ => BotAuthenticationResult.Failed(BotAuthenticationFailure.InvalidToken, $"The token is invalid ({exception?.GetType().Name})."),
    };
}
