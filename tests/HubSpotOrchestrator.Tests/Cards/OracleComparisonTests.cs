using System.Text.Json.Nodes;
using HubSpotOrchestrator.Cards.Templating;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Cards;

/// <summary>Our expansion equals adaptivecards-templating 2.3.1 (Node) on every template and on semantic edge cases.</summary>
public sealed class OracleComparisonTests
{
    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestPaths.Cards, "*.json").Where(f => !f.EndsWith(".data.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task EveryTemplateExpandsLikeTheReferencePackage(string fileName)
    {
        var file = Path.Combine(TestPaths.Cards, fileName);
        var template = JsonNode.Parse(File.ReadAllText(file))!;
        var data = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(file, ".data.json")));

        var reference = (await NodeOracle.ExpandAsync([(template, data)]))[0]!;
        var ours = CompiledTemplate.Parse(File.ReadAllText(file), file).Expand(data);

        Assert.True((bool)reference["ok"]!, "reference failed: " + reference["error"]);
        JsonAssert.Equal(reference["result"], ours, fileName);
    }

    [Fact]
    public async Task SemanticEdgeCasesMatchTheReferencePackage()
    {
        var data = JsonNode.Parse("""
            {"n": 1234.567, "neg": -1234.567, "negTiny": -0.001, "i": 3, "b": true, "s": "Héllo", "nul": null, "arr": ["x", "y", "z"],
             "ts": "2026-11-25T16:05:09.123Z", "local": "2026-11-25T18:05:09+02:00", "A": {"b": "first"}, "a": {"b": "second"},
             "obj": {"k": "v", "n": 1}, "items": [{"name": "a", "on": true}, {"name": "b", "on": false}, {"name": "c", "on": true}],
             "one": [{"name": "only"}], "none": []}
            """);
        var cases = new[]
        {
            "${n}", "${i}", "${b}", "${s}", "${obj}", "${arr}", "${arr[1]}", "${$root.s}", "${$data.i}", "${S}", "${a.B}",
            "x ${n} ${b} ${s}", "${'lit'}", "${1}", "${i + 1}", "${s + i}", "${concat('a', s, i, b)}", "x ${concat(s, 'y')}",
            "${formatNumber(n, 2)}", "${formatNumber(neg, 1)}", "${formatNumber(0.125, 2)}", "${formatNumber(negTiny, 2)}", "${formatNumber(2.5, 0)}",
            "${string(n)}", "${string(neg)}", "${string(i)}", "${string(b)}", "${string(obj)}", "${string(nul)}", "${string(0.5)}",
            "${formatDateTime(ts)}", "${formatDateTime(ts, 'yyyy-MM-dd HH:mm:ss.fff')}", "${formatDateTime(local, 'dddd, MMMM d, yy h:mm tt')}",
            "${formatDateTime('2026-01-05T00:30:00', 'ddd d MMM hh:mm t')}",
            "${toUpper(s)}", "${toLower(s)}", "${length(s)}", "${count(arr)}", "${count(obj)}", "${join(arr, ', ')}", "${join(arr, ', ', ' and ')}",
            "${empty(none)} ${empty(arr)} ${empty('')} ${empty(nul)} ${exists(nul)} ${exists(s)}",
            "${if(nul == null, 'none', s)}", "${if(i > 2 && s == 'Héllo', 'yes', 'no')}", "${not(nul)} ${and(true, 1)} ${or(false, b)}",
            "${equals(n, 1234.567)} ${i != 3} ${i >= 3} ${i < 3} ${'a' < 'b'} ${arr == arr}", "${coalesce(nul, s)}", "${json('{\"a\":[1,2]}')}",
            "${!b}", "${1 + 2 == 3}", "\\${s} stays literal", "${count(items)} items",
        };
        var template = new JsonObject { ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)JsonValue.Create(c))]) };
        template["repeat"] = JsonNode.Parse("""[{"$data": "${items}", "t": "${$index}:${name}", "$when": "${on}"}, {"$data": "${one}", "t": "${name}"}, {"$data": "${none}", "t": "never"}, {"$when": "${b}", "t": "${$root.s}"}]""");
        template["single"] = JsonNode.Parse("""{"$data": "${one}", "t": "${name}"}""");
        template["dropped"] = JsonNode.Parse("""{"$when": "${not(b)}", "t": "x"}""");
        template["nested"] = JsonNode.Parse("""{"$data": "${obj}", "k": "${k}", "root": "${$root.i}"}""");

        var reference = (await NodeOracle.ExpandAsync([(template, data)]))[0]!;
        var ours = CompiledTemplate.Compile(template, "edge-cases.json").Expand(data);

        Assert.True((bool)reference["ok"]!, "reference failed: " + reference["error"]);
        var expectedCases = reference["result"]!["cases"]!.AsArray();
        var actualCases = ours!["cases"]!.AsArray();
        for (var i = 0; i < cases.Length; i++)
        {
            JsonAssert.Equal(expectedCases[i], actualCases[i], cases[i]);
        }

        JsonAssert.Equal(reference["result"], ours, "whole document");
    }
}
