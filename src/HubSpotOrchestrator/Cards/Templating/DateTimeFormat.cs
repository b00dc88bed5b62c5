using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// adaptive-expressions formatDateTime: the timestamp is read as UTC when it has no offset, converted to UTC when it
/// has one, and formatted in UTC with the .NET-style format converted to day.js (datetimeFormatConverter.ts).
/// Only the specifiers listed in cards/README.md are accepted.
/// </summary>
internal static class DateTimeFormat
{
    private static readonly string[] InputFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];

    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] DayNames = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    public static string Format(object? timestamp, object? format, string ctx)
    {
        if (timestamp is not string text)
        {
            throw new TemplateEvaluationException($"{ctx}: expected an ISO 8601 timestamp string, got a {TemplateValue.TypeName(timestamp)}");
        }

        if (!DateTimeOffset.TryParseExact(text, InputFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            throw new TemplateEvaluationException($"{ctx}: '{text}' is not an ISO 8601 timestamp");
        }

        // JavaScript Date has millisecond precision.
        var utc = new DateTime(parsed.UtcDateTime.Ticks - (parsed.UtcDateTime.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        return format switch
        {
            null or "" => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            string f => Apply(utc, f, ctx),
            _ => throw new TemplateEvaluationException($"{ctx}: the format must be a string"),
        };
    }

    private static string Apply(DateTime utc, string format, string ctx)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            if (!char.IsAsciiLetter(c))
            {
                if (c is '\'' or '"' or '\\' or '%' or '[' or ']')
                {
                    throw new TemplateEvaluationException($"{ctx}: '{c}' in a date format is not supported");
                }

                sb.Append(c, run);
                i += run;
                continue;
            }

            var hour12 = utc.Hour % 12 == 0 ? 12 : utc.Hour % 12;
            sb.Append((c, run) switch
            {
                ('y', 1 or 2) => (utc.Year % 100).ToString("00", CultureInfo.InvariantCulture),
                ('y', 3 or 4) => utc.Year.ToString("0000", CultureInfo.InvariantCulture),
                ('M', 1) => utc.Month.ToString(CultureInfo.InvariantCulture),
                ('M', 2) => utc.Month.ToString("00", CultureInfo.InvariantCulture),
                ('M', 3) => MonthNames[utc.Month - 1][..3],
                ('M', 4) => MonthNames[utc.Month - 1],
                ('d', 1) => utc.Day.ToString(CultureInfo.InvariantCulture),
                ('d', 2) => utc.Day.ToString("00", CultureInfo.InvariantCulture),
                ('d', 3) => DayNames[(int)utc.DayOfWeek][..3],
                ('d', 4) => DayNames[(int)utc.DayOfWeek],
                ('H', 1) => utc.Hour.ToString(CultureInfo.InvariantCulture),
                ('H', 2) => utc.Hour.ToString("00", CultureInfo.InvariantCulture),
                ('h', 1) => hour12.ToString(CultureInfo.InvariantCulture),
                ('h', 2) => hour12.ToString("00", CultureInfo.InvariantCulture),
                ('m', 1) => utc.Minute.ToString(CultureInfo.InvariantCulture),
                ('m', 2) => utc.Minute.ToString("00", CultureInfo.InvariantCulture),
                ('s', 1) => utc.Second.ToString(CultureInfo.InvariantCulture),
                ('s', 2) => utc.Second.ToString("00", CultureInfo.InvariantCulture),
                ('f', 3) => utc.Millisecond.ToString("000", CultureInfo.InvariantCulture),
                ('t', 1 or 2) => utc.Hour < 12 ? "AM" : "PM",
                _ => throw new TemplateEvaluationException($"{ctx}: date format specifier '{new string(c, run)}' is not supported (see cards/README.md)"),
            });
            i += run;
        }

        return sb.ToString();
    }
}
