using System.Security.Cryptography;
using System.Text;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>HubSpot request signatures, computed over raw bytes (protocols.md §1.3).</summary>
public static class HubSpotSignature
{
    /// <summary>HubSpot v3: timestamps more than 5 minutes away are rejected (MAX_ALLOWED_TIMESTAMP = 300000 ms).</summary>
    public const long MaxTimestampSkewMs = 300_000;

    /// <summary>v1: SHA-256 (plain hash) of clientSecret + body, lowercase hex.</summary>
    public static string V1(string clientSecret, ReadOnlySpan<byte> body) => HashHex(Concat(Encoding.UTF8.GetBytes(clientSecret), body, []));

    /// <summary>v2: SHA-256 of clientSecret + method + URI + body, lowercase hex. The URI is used as HubSpot called it.</summary>
    public static string V2(string clientSecret, string method, string uri, ReadOnlySpan<byte> body) =>
        HashHex(Concat(Encoding.UTF8.GetBytes(clientSecret + method + uri), body, []));

    /// <summary>v3: base64 HMAC-SHA256, keyed with the client secret, of method + decoded URI + body + timestamp.</summary>
    public static string V3(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var message = Concat(Encoding.UTF8.GetBytes(method + DecodeUriForV3(uri)), body, Encoding.UTF8.GetBytes(timestamp));
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), message));
    }

    /// <summary>
    /// HubSpot v3: decode exactly these escapes in the URI before hashing, case-insensitively, and nothing else
    /// (a general URL-decode would also turn '+' into a space and %20 into one).
    /// </summary>
    public static string DecodeUriForV3(string uri)
    {
        if (!uri.Contains('%', StringComparison.Ordinal))
        {
            return uri;
        }

        var sb = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && Decoded(uri[i + 1], uri[i + 2]) is { } c)
            {
                sb.Append(c);
                i += 2;
            }
            else
            {
                sb.Append(uri[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Constant-time comparison of two signature strings.</summary>
    public static bool Matches(string expected, string? received) =>
        received is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received.Trim()));

    private static char? Decoded(char hi, char lo) => (char.ToUpperInvariant(hi), char.ToUpperInvariant(lo)) switch
    {
        ('3', 'A') => ':',
        ('2', 'F') => '/',
        ('3', 'F') => '?',
        ('4', '0') => '@',
        ('2', '1') => '!',
        ('2', '4') => '$',
        ('2', '7') => '\'',
        ('2', '8') => '(',
        ('2', '9') => ')',
        ('2', 'A') => '*',
        ('2', 'C') => ',',
        ('3', 'B') => ';',
        _ => null,
    };

    private static string HashHex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var result = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        c.CopyTo(result.AsSpan(a.Length + b.Length));
        return result;
    }
}
