using System.Globalization;
using System.Text;
using CsCheck;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>
/// Generators of hostile JSON for the parsers and endpoints: structurally plausible documents whose fields are, now and
/// then, of the wrong kind, huge, lone surrogates (escaped or as bytes), invalid UTF-8, deeply nested or very long; and
/// plain random bytes. Texts are built as strings with two marker characters for bytes that no string can hold:
/// <see cref="Utf8"/> turns them into an invalid byte and a UTF-8-encoded surrogate.
/// </summary>
internal static class JsonFuzz
{
    /// <summary>Becomes the byte 0xFF (never valid in UTF-8).</summary>
    public const char InvalidByte = '\uE000';

    /// <summary>Becomes ED A0 80, the UTF-8 encoding of the lone surrogate U+D800 (invalid UTF-8).</summary>
    public const char EncodedSurrogate = '\uE001';

    /// <summary>Values of the wrong kind or range for almost any field, as JSON text.</summary>
    public static readonly string[] NastyValues =
    [
        "null", "true", "false", "{}", "[]", "[1,2]", "{\"a\":1}", "\"\"", "\"abc\"", "\"12345\"", "\" 1\"", "0", "-1", "1.5", "1e3", "1e400", "-1e400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "253402300800000", "-62135596800001",
        "\"\\ud800\"", "\"\\udfff\"", "\"x\\ud800y\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"😀\"", "\"\\\"\"", "\"<script>\"",
        $"\"{InvalidByte}\"", $"\"a{EncodedSurrogate}b\"", $"\"{InvalidByte}{InvalidByte}\"",
        new string('9', 2000), "0." + new string('1', 500), "\"" + new string('a', 20_000) + "\"", "\"" + new string('€', 1000) + "\"",
        Deep(65), Deep(70), Deep(3000), "{\"\\ud800\":1}", $"{{\"{InvalidByte}\":1}}", "{\"a\":{\"b\":{\"c\":[null,{\"d\":\"\\ud800\"}]}}}",
    ];

    /// <summary>
    /// The content of random JSON strings (escapes included, quotes not): printable, any UTF-16 unit (a lone surrogate
    /// char becomes U+FFFD in UTF-8), escaped lone surrogates, markers for invalid bytes; sometimes long.
    /// </summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789:._-"], 0, 12]),
        (2, Gen.String[Gen.Char, 0, 12].Select(Escape)),
        (1, Gen.OneOf("\\ud800", "\\udfff", "\\u0000", "\\n", "\\\"", "\\\\", "\\uD83D\\uDE00", "\\x", "\\u12")),
        (1, Gen.OneOf($"{InvalidByte}", $"{EncodedSurrogate}", "\u00e9\u4e2d", "\ud800")),
        (1, Gen.Int[256, 30_000].Select(n => new string('x', n))));

    /// <summary>A JSON value as text: scalars, nasty values and nested arrays/objects, at most a few levels.</summary>
    public static readonly Gen<string> Value = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (2, self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Text, self).Array[0, 4].Select(fields => "{" + string.Join(",", fields.Select(f => Quote(f.Item1) + ":" + f.Item2)) + "}"))));

    private static Gen<string> Scalar => Gen.Frequency(
        (3, Text.Select(Quote)),
        (3, Gen.OneOf(NastyValues)),
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("true", "false", "null")));

    /// <summary>A field: usually the plausible value (<paramref name="plausibleWeight"/> in 4 more), else a nasty or random one.</summary>
    public static Gen<string> Field(Gen<string> plausible, int plausibleWeight = 10) => Gen.Frequency((plausibleWeight, plausible), (3, Gen.OneOf(NastyValues)), (1, Value));

    /// <summary>An object with some of <paramref name="fields"/> (each plausible or not), in random order, and maybe extra fields.</summary>
    public static Gen<string> Object(params (string Name, Gen<string> Plausible)[] fields) => Object(10, fields);

    /// <summary>
    /// As <see cref="Object(ValueTuple{string, Gen{string}}[])"/>, each field plausible with weight <paramref name="plausibleWeight"/>
    /// against 4: high for documents with many fields, so that some get past the first check and reach deeper code.
    /// </summary>
    public static Gen<string> Object(int plausibleWeight, params (string Name, Gen<string> Plausible)[] fields)
    {
        var present = fields.Select(f => Gen.Frequency(
            (11, Field(f.Plausible, plausibleWeight).Select(v => (string?)(Quote(f.Name) + ":" + v))),
            (1, Gen.Const((string?)null)))).ToArray();
        var extra = Gen.Select(Text, Value).Select(e => Quote(e.Item1) + ":" + e.Item2);
        var extras = plausibleWeight >= 30 ? Gen.Frequency((9, Gen.Const(Array.Empty<string>())), (1, extra.Array[1, 1])) : extra.Array[0, 2];
        return Gen.Select(Collect(present), extras, Gen.Int[0, 1000])
            .Select(t =>
            {
                var all = t.Item1.Where(f => f is not null).Select(f => f!).Concat(t.Item2).ToList();
                if (t.Item3 % 3 == 0)
                {
                    all.Reverse();
                }

                return "{" + string.Join(",", all) + "}";
            });
    }

    /// <summary>A document from <paramref name="structured"/>, sometimes cut short, deeply wrapped or replaced by random bytes.</summary>
    public static Gen<byte[]> Body(Gen<string> structured) => Gen.Frequency(
        (12, structured.Select(Utf8)),
        (1, Gen.Select(structured, Gen.Int[0, 100]).Select(t => Utf8(t.Item1[..(t.Item1.Length * t.Item2 / 100)]))),
        (1, structured.Select(s => Utf8(new string('[', 80) + s + new string(']', 80)))),
        (1, Gen.Byte.Array[0, 300]),
        (1, Gen.OneOf(NastyValues).Select(Utf8)));

    public static Gen<string> Digits(long min, long max) => Gen.Long[min, max].Select(n => n.ToString(CultureInfo.InvariantCulture));

    public static Gen<string> Str(params string[] options) => Gen.OneOf(options).Select(Literal);

    /// <summary>A JSON string literal around <paramref name="content"/>, which is already escaped.</summary>
    public static string Quote(string content) => "\"" + content + "\"";

    /// <summary>A JSON string literal of <paramref name="raw"/>: quote, backslash and control characters escaped, everything else raw.</summary>
    public static string Literal(string raw) => Quote(Escape(raw));

    public static string Escape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                < ' ' => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <summary>UTF-8 of <paramref name="text"/> with the markers turned into their invalid bytes (lone surrogate chars become U+FFFD).</summary>
    public static byte[] Utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (!text.Contains(InvalidByte, StringComparison.Ordinal) && !text.Contains(EncodedSurrogate, StringComparison.Ordinal))
        {
            return bytes;
        }

        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i + 2 < bytes.Length && bytes[i] == 0xEE && bytes[i + 1] == 0x80 && bytes[i + 2] is 0x80 or 0x81)
            {
                output.AddRange(bytes[i + 2] == 0x80 ? [0xFF] : [0xED, 0xA0, 0x80]);
                i += 2;
            }
            else
            {
                output.Add(bytes[i]);
            }
        }

        return [.. output];
    }

    /// <summary>Percent-encodes bytes for a form field (so invalid UTF-8 survives into the form).</summary>
    public static string FormEncode(byte[] bytes)
    {
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            _ = (b is >= (byte)'a' and <= (byte)'z') || (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'0' and <= (byte)'9') || b is (byte)'-' or (byte)'_' or (byte)'.'
                ? sb.Append((char)b)
                : sb.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }

        return sb.ToString();
    }

    public static string Deep(int levels) => new string('[', levels) + new string(']', levels);

    private static Gen<string?[]> Collect(Gen<string?>[] gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<string?>()), (acc, g) => Gen.Select(acc, g).Select(t => (string?[])[.. t.Item1, t.Item2]));
}
