using System.Globalization;
using System.Net.Http.Headers;

namespace HubSpotOrchestrator.Shared;

/// <summary>
/// The <c>Retry-After</c> response header (RFC 9110 §10.2.3): <c>delay-seconds</c> or an <c>HTTP-date</c> (§5.6.7: the
/// IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept). Read as a wait from now,
/// clamped to [0, <c>max</c>]: a date in the past means "now", an absurd value cannot park a caller for years.
/// The one reader for every outbound client (HubSpot, Teams, Slack).
/// </summary>
public static class RetryAfter
{
    /// <summary>The longest wait believed when the caller names no ceiling of its own.</summary>
    public static readonly TimeSpan DefaultMax = TimeSpan.FromDays(1);

    private static readonly string[] HttpDateFormats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'", // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'", // obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        "ddd MMM d HH:mm:ss yyyy", // obsolete asctime: Sun Nov  6 08:49:37 1994
    ];

    /// <summary>The response's Retry-After as a wait from <paramref name="time"/>'s now; null when absent or not valid.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider time, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(time);
        // The raw text: the typed RetryAfter property drops delay-seconds beyond int.MaxValue instead of clamping them.
        return headers.TryGetValues("Retry-After", out var values) && values.FirstOrDefault() is { } value
            ? Parse(value, time.GetUtcNow(), max)
            : null;
    }

    /// <summary>A Retry-After field value as a wait from <paramref name="now"/>, clamped to [0, <paramref name="max"/>]; null when not valid.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now, TimeSpan? max = null)
    {
        var ceiling = max ?? DefaultMax;
        if (ceiling < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "The ceiling cannot be negative.");
        }

        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.All(char.IsAsciiDigit))
        {
            // delay-seconds = 1*DIGIT: any length; past the ceiling (or past long) is the ceiling.
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= (ulong)ceiling.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : ceiling;
        }

        if (!TryParseHttpDate(text, now, out var date))
        {
            return null;
        }

        var wait = date - now;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > ceiling ? ceiling : wait;
    }

    private static bool TryParseHttpDate(string text, DateTimeOffset now, out DateTimeOffset date)
    {
        // RFC 9110 §5.6.7: an RFC 850 two-digit year that would be more than 50 years ahead is the most recent past
        // year with those digits, i.e. two-digit years fall in the century that ends 50 years from now.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.Calendar.TwoDigitYearMax = now.UtcDateTime.Year + 50;

        // asctime pads a one-digit day with a space ("Nov  6"): collapse runs of spaces so "d" matches both.
        var normalized = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return DateTimeOffset.TryParseExact(normalized, HttpDateFormats, culture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }
}
