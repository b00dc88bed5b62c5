using System.Text;
using System.Text.Json.Nodes;

namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>
/// The documented function subset (cards/README.md), each implemented as adaptive-expressions 4.23 does; where the
/// reference would silently yield false, "", or the literal binding for a bad argument, strict mode throws instead.
/// </summary>
internal static class TemplateFunctions
{
    /// <summary>JavaScript Number.EPSILON (2^-52).</summary>
    private const double JsNumberEpsilon = 2.220446049250313e-16;

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["if"] = (3, 3),
        ["equals"] = (2, 2),
        ["!="] = (2, 2),
        ["less"] = (2, 2),
        ["lessOrEquals"] = (2, 2),
        ["greater"] = (2, 2),
        ["greaterOrEquals"] = (2, 2),
        ["not"] = (1, 1),
        ["and"] = (1, int.MaxValue),
        ["or"] = (1, int.MaxValue),
        ["add"] = (2, int.MaxValue),
        ["exists"] = (1, 1),
        ["empty"] = (1, 1),
        ["coalesce"] = (1, int.MaxValue),
        ["concat"] = (1, int.MaxValue),
        ["length"] = (1, 1),
        ["count"] = (1, 1),
        ["toUpper"] = (1, 1),
        ["toLower"] = (1, 1),
        ["string"] = (1, 1),
        ["json"] = (1, 1),
        ["join"] = (2, 3),
        ["formatNumber"] = (2, 2),
        ["formatDateTime"] = (1, 2),
    };

    /// <summary>The functions a template may call by name, for documentation and tests.</summary>
    public static IEnumerable<string> Names => Arity.Keys.Where(k => k != "!=");

    /// <summary>Checks name and arity when the template is parsed, so a typo fails at load time, not at render time.</summary>
    public static CallExpr Bind(string name, IReadOnlyList<Expr> args)
    {
        if (name == "!=" || !Arity.TryGetValue(name, out var arity))
        {
            throw new TemplateSyntaxException($"unknown function '{name}' (supported: {string.Join(", ", Names)})");
        }

        if (args.Count < arity.Min || args.Count > arity.Max)
        {
            var expected = arity.Min == arity.Max ? arity.Min.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : arity.Max == int.MaxValue ? $"at least {arity.Min}" : $"{arity.Min} to {arity.Max}";
            throw new TemplateSyntaxException($"function '{name}' takes {expected} argument(s), got {args.Count}");
        }

        return new CallExpr(name, args);
    }

    public static object? Invoke(string name, IReadOnlyList<Expr> args, EvaluationScope scope)
    {
        object? Arg(int i) => ExpressionEvaluator.Evaluate(args[i], scope);
        string Ctx() => name + "(" + string.Join(", ", args) + ")";

        switch (name)
        {
            case "if":
                return TemplateValue.IsLogicTrue(Arg(0)) ? Arg(1) : Arg(2);
            case "not":
                return !TemplateValue.IsLogicTrue(Arg(0));
            case "and":
                return args.Select((_, i) => i).All(i => TemplateValue.IsLogicTrue(Arg(i)));
            case "or":
                // adaptive-expressions Or: true on the first logic-true child, otherwise the last child's raw value.
                object? last = false;
                for (var i = 0; i < args.Count; i++)
                {
                    last = Arg(i);
                    if (TemplateValue.IsLogicTrue(last))
                    {
                        return true;
                    }
                }

                return last;
            case "equals":
                return CommonEquals(Arg(0), Arg(1));
            case "!=":
                return !CommonEquals(Arg(0), Arg(1));
            case "less" or "lessOrEquals" or "greater" or "greaterOrEquals":
                return Compare(name, Arg(0), Arg(1), Ctx());
            case "exists":
                return Arg(0) is not null;
            case "empty":
                return Arg(0) switch
                {
                    null => true,
                    string s => s.Length == 0,
                    JsonArray a => a.Count == 0,
                    JsonObject o => o.Count == 0,
                    var v => throw new TemplateEvaluationException($"{Ctx()}: empty() needs a string, array or object, got a {TemplateValue.TypeName(v)}"),
                };
            case "coalesce":
                return args.Select((_, i) => i).Select(Arg).FirstOrDefault(v => v is not null);
            case "add":
                return Add(args.Select((_, i) => Arg(i)).ToList(), Ctx());
            case "concat":
                // A whole-string ${concat(…)} is expanded child by child with toString() by adaptivecards-templating,
                // and concat() itself uses commonStringify: they agree only for non-null primitives, so only those are allowed.
                return string.Concat(args.Select((_, i) => TemplateValue.ToJsString(Arg(i), $"argument {i + 1} of {Ctx()}")));
            case "length":
                return Arg(0) is string str ? (double)str.Length : throw TypeError(Ctx(), "a string", Arg(0));
            case "count":
                return Arg(0) switch
                {
                    string s => (double)s.Length,
                    JsonArray a => (double)a.Count,
                    JsonObject o => (double)o.Count,
                    var v => throw TypeError(Ctx(), "a string, array or object", v),
                };
            case "toUpper":
                return Arg(0) is string up ? up.ToUpperInvariant() : throw TypeError(Ctx(), "a string", Arg(0));
            case "toLower":
                return Arg(0) is string low ? low.ToLowerInvariant() : throw TypeError(Ctx(), "a string", Arg(0));
            case "string":
                return StringOf(Arg(0), Ctx());
            case "json":
                return Json(Arg(0), Ctx());
            case "join":
                return Join(Arg(0), args.Skip(1).Select((_, i) => Arg(i + 1)).ToList(), Ctx());
            case "formatNumber":
                return FormatNumber(Arg(0), Arg(1), Ctx());
            case "formatDateTime":
                return DateTimeFormat.Format(Arg(0), args.Count > 1 ? Arg(1) : null, Ctx());
            default:
                throw new TemplateSyntaxException($"unknown function '{name}'");
        }
    }

    private static TemplateEvaluationException TypeError(string ctx, string expected, object? actual) =>
        new($"{ctx}: expected {expected}, got a {TemplateValue.TypeName(actual)}");

    /// <summary>adaptive-expressions FunctionUtils.commonEquals.</summary>
    public static bool CommonEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return (a, b) switch
        {
            (JsonArray x, JsonArray y) => x.Count == y.Count && x.Select((n, i) => CommonEquals(TemplateValue.FromNode(n), TemplateValue.FromNode(y[i]))).All(e => e),
            (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && StrictDeepEquals(TemplateValue.FromNode(p.Value), TemplateValue.FromNode(y[p.Key]))),
            (double x, double y) => Math.Abs(x - y) < JsNumberEpsilon || x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (bool x, bool y) => x == y,
            _ => false,
        };
    }

    /// <summary>lodash isEqual, used by commonEquals for objects: deep, no numeric tolerance.</summary>
    private static bool StrictDeepEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Select((n, i) => StrictDeepEquals(TemplateValue.FromNode(n), TemplateValue.FromNode(y[i]))).All(e => e),
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && StrictDeepEquals(TemplateValue.FromNode(p.Value), TemplateValue.FromNode(y[p.Key]))),
        (double x, double y) => x == y,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        _ => false,
    };

    private static bool Compare(string name, object? a, object? b, string ctx)
    {
        int order = (a, b) switch
        {
            (double x, double y) => x.CompareTo(y),
            // JavaScript compares strings by UTF-16 code units.
            (string x, string y) => string.CompareOrdinal(x, y),
            _ => throw new TemplateEvaluationException($"{ctx}: {TemplateValue.TypeName(a)} and {TemplateValue.TypeName(b)} are not comparable"),
        };

        return name switch
        {
            "less" => order < 0,
            "lessOrEquals" => order <= 0,
            "greater" => order > 0,
            _ => order >= 0,
        };
    }

    private static object Add(List<object?> values, string ctx)
    {
        object? soFar = values[0];
        foreach (var next in values.Skip(1))
        {
            soFar = (soFar, next) switch
            {
                (double x, double y) => x + y,
                (string or double, string or double) => TemplateValue.ToJsString(soFar, ctx) + TemplateValue.ToJsString(next, ctx),
                _ => throw new TemplateEvaluationException($"{ctx}: '+' cannot be applied to {TemplateValue.TypeName(soFar)} and {TemplateValue.TypeName(next)}"),
            };
        }

        return soFar!;
    }

    private static string StringOf(object? value, string ctx)
    {
        switch (value)
        {
            case string s:
                return s;
            case double d:
                var text = JsFormat.NumberToString(d);
                if (text.Contains('e', StringComparison.Ordinal))
                {
                    throw new TemplateEvaluationException($"{ctx}: {text} is out of the supported range");
                }

                var dot = text.IndexOf('.', StringComparison.Ordinal);
                return JsFormat.FixedGrouped(d, dot >= 0 ? text.Length - dot - 1 : 0, ctx);
            case bool b:
                return b ? "true" : "false";
            case null:
                return string.Empty;
            case JsonNode node:
                // commonStringify: JSON.stringify, then leading and trailing quote characters removed.
                return TemplateValue.Stringify(node).TrimStart('"', '\'').TrimEnd('"', '\'');
            default:
                throw TypeError(ctx, "a value", value);
        }
    }

    private static object? Json(object? value, string ctx)
    {
        if (value is not string s)
        {
            throw TypeError(ctx, "a string", value);
        }

        try
        {
            return TemplateValue.FromNode(JsonNode.Parse(s.Trim()));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new TemplateEvaluationException($"{ctx}: not valid JSON ({ex.Message})");
        }
    }

    private static string Join(object? list, List<object?> separators, string ctx)
    {
        if (list is not JsonArray array)
        {
            throw TypeError(ctx, "an array", list);
        }

        if (separators.Any(s => s is not string))
        {
            throw TypeError(ctx, "string separators", separators.First(s => s is not string));
        }

        // Array.prototype.join: null and undefined items become "".
        var items = array.Select(n => TemplateValue.FromNode(n) is { } v ? TemplateValue.ToJsString(v, ctx + " item") : string.Empty).ToList();
        var sep = (string)separators[0]!;
        if (separators.Count == 1 || items.Count < 3)
        {
            return string.Join(separators.Count == 1 ? sep : (string)separators[1]!, items);
        }

        return new StringBuilder(string.Join(sep, items.Take(items.Count - 1))).Append((string)separators[1]!).Append(items[^1]).ToString();
    }

    private static string FormatNumber(object? number, object? precision, string ctx)
    {
        if (number is not double n)
        {
            throw TypeError(ctx, "a number as first argument", number);
        }

        if (precision is not double p || p != Math.Floor(p) || p < 0 || p > 20)
        {
            throw new TemplateEvaluationException($"{ctx}: the precision must be a whole number from 0 to 20");
        }

        var scale = Math.Pow(10, p);
        return JsFormat.FixedGrouped(JsFormat.JsRound(n * scale) / scale, (int)p, ctx);
    }
}
