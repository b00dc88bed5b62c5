using System.Text.Json.Nodes;
using HubSpotOrchestrator.Cards.Templating;

namespace HubSpotOrchestrator.Tests.Cards;

public sealed class TemplateEngineTests
{
    private static JsonNode? Expand(string template, string data) =>
        CompiledTemplate.Parse(template, "t.json").Expand(JsonNode.Parse(data));

    [Fact]
    public void WholeBindingKeepsTheJsonTypeAndEmbeddedBindingIsStringified()
    {
        var result = Expand("""{"a": "${n}", "b": "n=${n}", "c": "${flag}"}""", """{"n": 42, "flag": true}""")!;
        Assert.Equal(42, result["a"]!.GetValue<long>());
        Assert.Equal("n=42", (string?)result["b"]);
        Assert.True(result["c"]!.GetValue<bool>());
    }

    [Fact]
    public void DataArrayRepeatsTheElementWithIndexAndRoot()
    {
        var result = Expand("""{"body": [{"$data": "${items}", "text": "${$index}:${name}@${$root.org}"}]}""", """{"org": "Acme", "items": [{"name": "a"}, {"name": "b"}]}""")!;
        Assert.Equal(["0:a@Acme", "1:b@Acme"], result["body"]!.AsArray().Select(n => (string)n!["text"]!));
    }

    [Fact]
    public void WhenFalseDropsTheElementAndReservedFieldsAreRemoved()
    {
        var result = Expand("""{"body": [{"$when": "${show}", "t": 1}, {"$when": "${not(show)}", "t": 2}]}""", """{"show": false}""")!;
        var body = Assert.Single(result["body"]!.AsArray());
        Assert.Equal(2, body!["t"]!.GetValue<int>());
        Assert.False(body.AsObject().ContainsKey("$when"));
    }

    [Fact]
    public void UnknownFunction_IsAnErrorNamingFileAndPointer_WhenTemplateIsParsed()
    {
        var ex = Assert.Throws<CardTemplateException>(() => CompiledTemplate.Parse("""{"body": [{"text": "${shout(name)}"}]}""", "cards/x.json"));
        Assert.Equal("cards/x.json", ex.File);
        Assert.Equal("/body/0/text", ex.Pointer);
        Assert.Contains("unknown function 'shout'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPath_IsAnErrorNamingFileAndPointer_InsteadOfTheLiteralBinding()
    {
        var template = CompiledTemplate.Parse("""{"body": [{"type": "TextBlock"}, {"text": "Hi ${user.nmae}"}]}""", "cards/y.json");
        var ex = Assert.Throws<CardTemplateException>(() => template.Expand(JsonNode.Parse("""{"user": {"name": "P"}}""")));
        Assert.Equal("/body/1/text", ex.Pointer);
        Assert.Contains("nmae", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${a +}")]
    [InlineData("${a")]
    [InlineData("${}")]
    [InlineData("${a - 1}")]
    [InlineData("${if(a, b)}")]
    public void SyntaxErrorsAndUnsupportedOperators_AreRejectedAtParse(string binding)
    {
        var ex = Assert.Throws<CardTemplateException>(() => CompiledTemplate.Parse(new JsonObject { ["x"] = binding }.ToJsonString(), "z.json"));
        Assert.Equal("/x", ex.Pointer);
    }

    [Fact]
    public void PointerEscapesSlashAndTilde()
    {
        var ex = Assert.Throws<CardTemplateException>(() => CompiledTemplate.Parse("""{"a/b": {"c~d": "${nope(1)}"}}""", "p.json"));
        Assert.Equal("/a~1b/c~0d", ex.Pointer);
    }

    [Fact]
    public void NonBooleanWhen_IsAnError()
    {
        var template = CompiledTemplate.Parse("""{"body": [{"$when": "${name}", "t": 1}]}""", "w.json");
        var ex = Assert.Throws<CardTemplateException>(() => template.Expand(JsonNode.Parse("""{"name": "x"}""")));
        Assert.Equal("/body/0/$when", ex.Pointer);
    }

    [Fact]
    public void FunctionsFormatLikeAdaptiveExpressions()
    {
        var result = Expand(
            """{"a": "${formatNumber(n, 2)}", "b": "${toUpper(s)}", "c": "${count(items)}", "d": "${formatDateTime(ts, 'MMM d, yyyy h:mm tt')}", "e": "${if(empty(items), 'none', concat(s, '!'))}"}""",
            """{"n": -1234.5, "s": "ok", "items": [1, 2], "ts": "2026-11-25T16:05:00Z"}""")!;
        Assert.Equal("\u22121,234.50", (string?)result["a"]);
        Assert.Equal("OK", (string?)result["b"]);
        Assert.Equal(2, result["c"]!.GetValue<long>());
        Assert.Equal("Nov 25, 2026 4:05 PM", (string?)result["d"]);
        Assert.Equal("ok!", (string?)result["e"]);
    }

    [Fact]
    public void ObjectEmbeddedInAString_IsAnError()
    {
        var template = CompiledTemplate.Parse("""{"t": "x ${obj}"}""", "o.json");
        Assert.Throws<CardTemplateException>(() => template.Expand(JsonNode.Parse("""{"obj": {"a": 1}}""")));
    }
}
