using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Webhooks;

internal sealed record VerificationResult(bool Verified, string Method, string? Failure)
{
    public static VerificationResult Ok(string method) => new(true, method, null);

    public static VerificationResult Fail(string failure) => new(false, "none", failure);
}

/// <summary>Decides whether a request really comes from HubSpot (or the configured workflow API key).</summary>
internal sealed class HubSpotRequestVerifier(IOptionsMonitor<HubSpotWebhookOptions> options, LocalKeys keys, TimeProvider clock)
{
    public const string SignatureV3Header = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    public const string SignatureHeader = "X-HubSpot-Signature";
    public const string SignatureVersionHeader = "X-HubSpot-Signature-Version";

    /// <summary>The secrets that may have signed a request: the configured one (and the previous one during a rotation), else the local one.</summary>
    public IReadOnlyList<string> Secrets()
    {
        var o = options.CurrentValue;
        if (string.IsNullOrEmpty(o.ClientSecret))
        {
            return [keys.GetOrCreate(LocalKeys.LocalHubSpotSecret)];
        }

        return string.IsNullOrEmpty(o.PreviousClientSecret) ? [o.ClientSecret] : [o.ClientSecret, o.PreviousClientSecret];
    }

    public VerificationResult Verify(HttpRequest request, byte[] body, bool allowApiKey = false)
    {
        var o = options.CurrentValue;
        var headers = request.Headers;
        var uri = PublicUri(request, o);

        if (headers.TryGetValue(SignatureV3Header, out var v3) && !string.IsNullOrEmpty(v3))
        {
            var timestamp = headers[TimestampHeader].ToString();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            {
                return VerificationResult.Fail($"missing or malformed {TimestampHeader}");
            }

            // HubSpot v3: reject timestamps more than 5 minutes from now, in either direction (clock skew and replays).
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (Math.Abs(now - ts) > HubSpotSignature.MaxTimestampSkewMs)
            {
                return VerificationResult.Fail("request timestamp is more than 5 minutes from the server clock");
            }

            foreach (var secret in Secrets())
            {
                if (HubSpotSignature.Matches(HubSpotSignature.V3(secret, request.Method, uri, body, timestamp), v3.ToString()))
                {
                    return VerificationResult.Ok("v3");
                }
            }

            return VerificationResult.Fail("v3 signature does not match");
        }

        if (headers.TryGetValue(SignatureHeader, out var legacy) && !string.IsNullOrEmpty(legacy))
        {
            if (!o.AllowLegacySignatures)
            {
                return VerificationResult.Fail($"v1/v2 signatures are disabled (HubSpot:AllowLegacySignatures); send {SignatureV3Header}");
            }

            var version = headers[SignatureVersionHeader].ToString();
            foreach (var secret in Secrets())
            {
                var expected = version.Equals("v2", StringComparison.OrdinalIgnoreCase)
                    ? HubSpotSignature.V2(secret, request.Method, uri, body)
                    : HubSpotSignature.V1(secret, body);
                if (HubSpotSignature.Matches(expected, legacy.ToString()))
                {
                    return VerificationResult.Ok(string.IsNullOrEmpty(version) ? "v1" : version.ToLowerInvariant());
                }
            }

            return VerificationResult.Fail("v1/v2 signature does not match");
        }

        if (allowApiKey && !string.IsNullOrEmpty(o.WorkflowApiKey) && headers.TryGetValue(o.WorkflowApiKeyHeader, out var apiKey))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(o.WorkflowApiKey), Encoding.UTF8.GetBytes(apiKey.ToString()))
                ? VerificationResult.Ok("api-key")
                : VerificationResult.Fail($"{o.WorkflowApiKeyHeader} does not match");
        }

        return VerificationResult.Fail($"missing {SignatureV3Header} and {TimestampHeader} headers");
    }

    /// <summary>The URL HubSpot called: the configured public base URL (behind a proxy) or what Kestrel saw, with the raw path and query.</summary>
    public static string PublicUri(HttpRequest request, HubSpotWebhookOptions o)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/'))
        {
            rawTarget = request.PathBase + request.Path + request.QueryString;
        }

        var baseUrl = string.IsNullOrEmpty(o.PublicBaseUrl) ? $"{request.Scheme}://{request.Host}" : o.PublicBaseUrl.TrimEnd('/');
        return baseUrl + rawTarget;
    }
}
