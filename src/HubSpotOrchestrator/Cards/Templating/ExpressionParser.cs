using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// Recursive-descent parser for the Adaptive Expressions subset. Precedence follows the AEL grammar
/// (botbuilder-js adaptive-expressions, Expression.g4): unary, (+), (== !=), (&lt; &lt;= &gt; &gt;=), &amp;&amp;, ||.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly string[] Unsupported = ["<>", "?", ":", "*", "/", "%", "^", "&", "-", "{", "["];

    private readonly string _src;
    private int _pos;

    private ExpressionParser(string src) => _src = src;

    public static Expr Parse(string source)
    {
        var parser = new ExpressionParser(source);
        var expr = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos < source.Length)
        {
            throw parser.Error($"unexpected '{source[parser._pos]}'");
        }

        return expr;
    }

    private Expr ParseOr() => ParseBinary(ParseAnd, ("||", "or"));

    private Expr ParseAnd() => ParseBinary(ParseRelational, ("&&", "and"));

    private Expr ParseRelational() => ParseBinary(ParseEquality, ("<=", "lessOrEquals"), (">=", "greaterOrEquals"), ("<", "less"), (">", "greater"));

    private Expr ParseEquality() => ParseBinary(ParseAdditive, ("==", "equals"), ("!=", "!="));

    private Expr ParseAdditive() => ParseBinary(ParseUnary, ("+", "add"));

    private Expr ParseBinary(Func<Expr> next, params (string Op, string Function)[] operators)
    {
        var left = next();
        while (true)
        {
            SkipSpace();
            var match = operators.FirstOrDefault(o => At(o.Op) && !At("<>"));
            if (match.Op is null)
            {
                return left;
            }

            _pos += match.Op.Length;
            left = new OperatorExpr(match.Op, match.Function, [left, next()]);
        }
    }

    private Expr ParseUnary()
    {
        SkipSpace();
        if (At("!") && !At("!="))
        {
            _pos++;
            return new OperatorExpr("!", "not", [ParseUnary()]);
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (At("."))
            {
                _pos++;
                expr = new PathExpr(expr, ReadIdentifier() ?? throw Error("a property name must follow '.'"));
            }
            else if (At("["))
            {
                _pos++;
                var index = ParseOr();
                Expect("]");
                expr = new IndexExpr(expr, index);
            }
            else if (At("("))
            {
                if (!IsName(expr))
                {
                    throw Error("only named functions can be called");
                }

                _pos++;
                var args = new List<Expr>();
                SkipSpace();
                if (!At(")"))
                {
                    do
                    {
                        args.Add(ParseOr());
                        SkipSpace();
                    }
                    while (TryConsume(","));
                }

                Expect(")");
                expr = TemplateFunctions.Bind(expr.ToString(), args);
            }
            else
            {
                return expr;
            }
        }
    }

    private static bool IsName(Expr expr) => expr is PathExpr { Instance: null } or PathExpr { Instance: PathExpr };

    private Expr ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _src.Length)
        {
            throw Error("unexpected end of expression");
        }

        var c = _src[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        if (c is '\'' or '"')
        {
            return new ConstantExpr(ReadString(c));
        }

        if (char.IsAsciiDigit(c))
        {
            var start = _pos;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                _pos++;
            }

            if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
            {
                _pos++;
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                {
                    _pos++;
                }
            }

            return new ConstantExpr(double.Parse(_src[start.._pos], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
        }

        var name = ReadIdentifier();
        if (name is null)
        {
            var op = Unsupported.FirstOrDefault(At);
            throw Error(op is null ? $"unexpected '{c}'" : $"operator or literal '{op}' is not supported (see cards/README.md)");
        }

        return name switch
        {
            "true" => new ConstantExpr(true),
            "false" => new ConstantExpr(false),
            "null" => new ConstantExpr(null),
            "undefined" => throw Error("'undefined' is not supported; use null"),
            _ => new PathExpr(null, name),
        };
    }

    private string? ReadIdentifier()
    {
        // AEL IDENTIFIER: (letter | '_' | '@' | '$' | '#') (letter | digit | '-' | '_')* — so "a-b" is one name.
        SkipSpace();
        var start = _pos;
        if (_pos < _src.Length && (char.IsAsciiLetter(_src[_pos]) || _src[_pos] is '_' or '$' or '@' or '#'))
        {
            _pos++;
            while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] is '-' or '_'))
            {
                _pos++;
            }
        }

        return _pos > start ? _src[start.._pos] : null;
    }

    private string ReadString(char quote)
    {
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _src.Length && _src[_pos] != quote)
        {
            if (_src[_pos] == '\\' && _pos + 1 < _src.Length)
            {
                var next = _src[_pos + 1];
                sb.Append(next switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '\\' or '\'' or '"' => next,
                    _ => throw Error($"escape '\\{next}' is not supported in a string literal"),
                });
                _pos += 2;
            }
            else
            {
                sb.Append(_src[_pos++]);
            }
        }

        if (_pos >= _src.Length)
        {
            throw Error("unterminated string literal");
        }

        _pos++;
        return sb.ToString();
    }

    private void SkipSpace()
    {
        while (_pos < _src.Length && _src[_pos] is ' ' or '\t')
        {
            _pos++;
        }
    }

    private bool At(string token) => string.CompareOrdinal(_src, _pos, token, 0, token.Length) == 0;

    private bool TryConsume(string token)
    {
        SkipSpace();
        if (!At(token))
        {
            return false;
        }

        _pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryConsume(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private TemplateSyntaxException Error(string message) =>
        new($"syntax error in '{_src}' at position {_pos}: {message}");
}
