using HubSpotOrchestrator.Channels.Teams;

namespace HubSpotOrchestrator.Integrations;

/// <summary>How the run engine should treat a failed call to an external system.</summary>
public enum FailureKind
{
    /// <summary>Worth retrying with backoff: 429, 5xx, timeouts, connection failures.</summary>
    Transient,

    /// <summary>Retrying cannot help: the record is gone, the request is invalid.</summary>
    Permanent,

    /// <summary>Retrying cannot help until an operator fixes a setting (credentials, scopes, missing configuration).</summary>
    Configuration,
}

/// <summary>
/// A classified failure of an external system. Workflows let it propagate; the run engine retries
/// <see cref="FailureKind.Transient"/> ones and turns the others into an Exception record with <see cref="Fix"/>.
/// </summary>
public class IntegrationException : Exception
{
    public IntegrationException(string system, FailureKind kind, string message, string? fix = null, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        System = system;
        Kind = kind;
        Fix = fix;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The external system, e.g. "HubSpot".</summary>
    public string System { get; }

    public FailureKind Kind { get; }

    /// <summary>What an operator should do, e.g. "Set HubSpot:AccessToken".</summary>
    public string? Fix { get; }

    public int? StatusCode { get; }

    /// <summary>The server's own hint for when to try again, if it gave one.</summary>
    public TimeSpan? RetryAfter { get; }
}
