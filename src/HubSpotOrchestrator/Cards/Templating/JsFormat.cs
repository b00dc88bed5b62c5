using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>Number formatting exactly as JavaScript and d3-format (used by adaptive-expressions) produce it.</summary>
internal static class JsFormat
{
    /// <summary>d3-format's default minus sign (U+2212), which AEL's formatNumber and string() emit.</summary>
    public const char Minus = '\u2212';

    /// <summary>ECMAScript Number::toString (shortest round-trip digits, exponent outside 1e-7..1e21).</summary>
    public static string NumberToString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        var negative = value < 0;
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var k = digits.Length;
        var n = exponent + 1;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Splits a .NET round-trip string into significant digits and the decimal exponent of the first digit.</summary>
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var exponent = 0;
        var mantissa = roundTrip;
        var e = roundTrip.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var digits = intPart + (dot >= 0 ? mantissa[(dot + 1)..] : string.Empty);
        exponent += intPart.Length - 1;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        exponent -= lead;
        digits = digits[lead..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    /// <summary>d3-format <c>,.{precision}f</c> with the en-US locale (group ",", decimal ".", minus U+2212).</summary>
    public static string FixedGrouped(double value, int precision, string context)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e21)
        {
            throw new TemplateEvaluationException($"{context}: {NumberToString(value)} is out of the supported range");
        }

        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var fixedText = Math.Abs(value).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var dot = fixedText.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? fixedText[..dot] : fixedText;
        var fraction = dot >= 0 ? fixedText[dot..] : string.Empty;
        var grouped = new StringBuilder();
        for (var i = 0; i < intPart.Length; i++)
        {
            if (i > 0 && (intPart.Length - i) % 3 == 0)
            {
                grouped.Append(',');
            }

            grouped.Append(intPart[i]);
        }

        // d3-format: a negative value that rounds to zero is shown without a sign.
        if (negative && fixedText.Any(ch => ch is >= '1' and <= '9'))
        {
            grouped.Insert(0, Minus);
        }

        return grouped.Append(fraction).ToString();
    }

    /// <summary>JavaScript Math.round: halves round towards +infinity.</summary>
    public static double JsRound(double value)
    {
        var floor = Math.Floor(value);
        return value - floor >= 0.5 ? floor + 1 : floor;
    }
}
