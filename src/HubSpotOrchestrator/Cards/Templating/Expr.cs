namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>A parsed Adaptive Expression (the subset in cards/README.md).</summary>
internal abstract record Expr
{
    public abstract override string ToString();
}

internal sealed record ConstantExpr(object? Value) : Expr
{
    public override string ToString() => Value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "\\'", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        double d => JsFormat.NumberToString(d),
        _ => Value.ToString() ?? string.Empty,
    };
}

/// <summary>An identifier (<c>name</c>, <c>$root</c>) or a member access (<c>instance.name</c>).</summary>
internal sealed record PathExpr(Expr? Instance, string Name) : Expr
{
    public override string ToString() => Instance is null ? Name : Instance + "." + Name;
}

internal sealed record IndexExpr(Expr Instance, Expr Index) : Expr
{
    public override string ToString() => Instance + "[" + Index + "]";
}

internal sealed record CallExpr(string Name, IReadOnlyList<Expr> Args) : Expr
{
    public override string ToString() => Name + "(" + string.Join(", ", Args) + ")";
}

/// <summary>An operator; evaluated as the function AEL maps it to (== is equal, &amp;&amp; is and, …).</summary>
internal sealed record OperatorExpr(string Operator, string Function, IReadOnlyList<Expr> Args) : Expr
{
    public override string ToString() => Args.Count == 1
        ? Operator + Args[0]
        : "(" + Args[0] + " " + Operator + " " + Args[1] + ")";
}
