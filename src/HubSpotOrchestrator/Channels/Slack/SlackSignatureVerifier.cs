using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Slack;

public enum SlackSignatureFailure
{
    None,
    NotConfigured,
    MissingSignature,
    MissingTimestamp,
    MalformedTimestamp,
    StaleTimestamp,
    MalformedSignature,
    Mismatch,
}

public sealed record SlackSignatureResult(bool IsValid, SlackSignatureFailure Failure, string? Reason)
{
    public static SlackSignatureResult Valid { get; } = new(true, SlackSignatureFailure.None, null);

    public static SlackSignatureResult Invalid(SlackSignatureFailure failure, string reason) => new(false, failure, reason);
}

/// <summary>
/// Slack request signing v0 (protocols.md §3.1): <c>v0=hex(HMAC-SHA256(signingSecret, "v0:" + timestamp + ":" + rawBody))</c>,
/// timestamp within 5 minutes of our clock (either direction), compared in constant time.
/// </summary>
public sealed class SlackSignatureVerifier
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly byte[]? _secret;
    private readonly TimeProvider _timeProvider;

    internal SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider timeProvider)
    {
        var secret = options.Value.SigningSecret;
        _secret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
        _timeProvider = timeProvider;
    }

    /// <param name="rawBody">The request body bytes exactly as received, before any form or JSON parsing.</param>
    public SlackSignatureResult Verify(string? signatureHeader, string? timestampHeader, ReadOnlySpan<byte> rawBody)
    {
        if (_secret is null)
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.NotConfigured, "Slack:SigningSecret is not set.");
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.MissingSignature, $"No {SignatureHeader} header.");
        }

        if (string.IsNullOrWhiteSpace(timestampHeader))
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.MissingTimestamp, $"No {TimestampHeader} header.");
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.MalformedTimestamp, $"{TimestampHeader} is not epoch seconds.");
        }

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)MaxAge.TotalSeconds)
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.StaleTimestamp, $"{TimestampHeader} is more than 5 minutes from the server clock.");
        }

        const string prefix = "v0=";
        if (!signatureHeader.StartsWith(prefix, StringComparison.Ordinal) || signatureHeader.Length != prefix.Length + 64)
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.MalformedSignature, $"{SignatureHeader} is not 'v0=' followed by 64 hex digits.");
        }

        byte[] received;
        try
        {
            received = Convert.FromHexString(signatureHeader.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return SlackSignatureResult.Invalid(SlackSignatureFailure.MalformedSignature, $"{SignatureHeader} is not hex.");
        }

        var expected = Compute(_secret, timestampHeader, rawBody);
        return CryptographicOperations.FixedTimeEquals(expected, received)
            ? SlackSignatureResult.Valid
            : SlackSignatureResult.Invalid(SlackSignatureFailure.Mismatch, "The signature does not match the body.");
    }

    internal static byte[] Compute(byte[] secret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes("v0:" + timestamp + ":");
        var baseString = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(baseString, 0);
        rawBody.CopyTo(baseString.AsSpan(prefix.Length));
        return HMACSHA256.HashData(secret, baseString);
    }
}
