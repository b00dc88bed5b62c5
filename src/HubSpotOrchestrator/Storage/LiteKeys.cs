using System.Security.Cryptography;
using System.Text;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// LiteDB refuses an index key over 1,023 bytes, and the whole write with it. Values that come from outside and are
/// indexed (an audit subject, a Slack event id, a Teams user id) pass through <see cref="Fit"/>: short ones unchanged,
/// long ones cut to a prefix plus the SHA-256 of the whole value, which still identifies them exactly.
/// </summary>
internal static class LiteKeys
{
    public const int MaxBytes = 512;

    public static string Fit(string value)
    {
        if (Encoding.UTF8.GetByteCount(value) <= MaxBytes)
        {
            return value;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        var prefix = value[..Math.Min(value.Length, 200)];
        if (prefix.Length > 0 && char.IsHighSurrogate(prefix[^1]))
        {
            prefix = prefix[..^1];
        }

        return $"{prefix}…sha256:{hash}";
    }

    /// <summary>True when <paramref name="value"/> cannot be a stored key (so a lookup by it finds nothing).</summary>
    public static bool TooLong(string value) => Encoding.UTF8.GetByteCount(value) > MaxBytes;

    public static string? FitOrNull(string? value) => value is null ? null : Fit(value);
}
