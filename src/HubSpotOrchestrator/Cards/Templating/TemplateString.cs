namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// A template string value after parsing. adaptivecards-templating parses every string containing <c>${</c>
/// as an AEL string interpolation: a string that is exactly one non-constant <c>${expr}</c> keeps the JSON type
/// of its value (<see cref="Whole"/>); anything else is concatenated as a string (<see cref="Parts"/>).
/// </summary>
internal sealed class TemplateString
{
    private TemplateString(Expr? whole, IReadOnlyList<object> parts)
    {
        Whole = whole;
        Parts = parts;
    }

    public Expr? Whole { get; }

    /// <summary>Literal <see cref="string"/> pieces and <see cref="Expr"/> pieces, in order.</summary>
    public IReadOnlyList<object> Parts { get; }

    public static TemplateString? Parse(string text)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<object>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '`' || text[i + 1] == '$'))
            {
                // AEL string interpolation: \` and \$ are the only escapes in the literal text.
                literal.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '`')
            {
                throw new TemplateSyntaxException("an unescaped backtick (`) is not allowed in a string with bindings; write \\`");
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                var end = FindClose(text, i + 2);
                var source = text[(i + 2)..end];
                if (source.Trim().Length == 0)
                {
                    throw new TemplateSyntaxException("empty binding ${}");
                }

                parts.Add(ExpressionParser.Parse(source));
                i = end + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        var whole = parts.Count == 1 && parts[0] is Expr e && e is not ConstantExpr ? e : null;
        return new TemplateString(whole, parts);
    }

    private static int FindClose(string text, int start)
    {
        var depth = 0;
        char? quote = null;
        for (var j = start; j < text.Length; j++)
        {
            var c = text[j];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    j++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '\r' or '\n' or '`':
                    throw new TemplateSyntaxException($"'{c}' is not allowed inside ${{…}}");
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return j;
                case '}':
                    depth--;
                    break;
            }
        }

        throw new TemplateSyntaxException("unterminated binding: missing '}' after '${'");
    }
}
