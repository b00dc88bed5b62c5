using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Cards.Templating;
using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Rules;
using static HubSpotOrchestrator.Tests.Fuzz.JsonFuzz;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>
/// Property: card templating and rule loading answer hostile templates, data and rule files with a value or their own
/// clear error (<see cref="CardTemplateException"/>/<see cref="CardRenderException"/>, rule errors with file and
/// message), never another exception.
/// </summary>
public sealed class CardAndRuleFuzzTests
{
    private static readonly Lazy<CardCatalog> Catalog = new(() => CardCatalog.Load(TestPaths.Cards));

    private static readonly string[] Functions =
        ["if", "equals", "less", "lessOrEquals", "greater", "greaterOrEquals", "not", "and", "or", "add", "exists", "empty", "coalesce", "concat",
         "length", "count", "toUpper", "toLower", "string", "json", "join", "formatNumber", "formatDateTime", "nope"];

    /// <summary>Template expressions: paths, literals, calls (known and unknown), operators, and broken syntax.</summary>
    private static readonly Gen<string> Expression = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Gen.OneOf("title", "amount", "x", "$root", "$index", "$data", "a.b.c", "items[0]", "items[-1]", "1", "1e400", "-0", "'abc'", "'\\ud800'", "true", "null", "((", "'", "a..b", "x[", "$", "")
        : Gen.Frequency(
            (3, self),
            (2, Gen.Select(Gen.OneOf(Functions), self.Array[0, 3]).Select(t => $"{t.Item1}({string.Join(", ", t.Item2)})")),
            (2, Gen.Select(self, Gen.OneOf("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "."), self).Select(t => $"{t.Item1} {t.Item2} {t.Item3}")),
            (1, self.Select(e => "!" + e)),
            (1, self.Select(e => "(" + e))));

    private static readonly Gen<string> TemplateText = Gen.Frequency(
        (4, Expression.Select(e => "${" + e + "}")),
        (2, Gen.Select(Text, Expression).Select(t => t.Item1 + " ${" + t.Item2 + "} ${" + t.Item2 + "}")),
        (1, Gen.OneOf("${", "}", "${}", "$${x}", "${${x}}")),
        (1, Text));

    private static readonly Gen<string> Element = Object(
        ("type", Str("TextBlock", "FactSet", "ActionSet", "Input.Text", "Image")),
        ("text", TemplateText.Select(t => Quote(Escape(t)))),
        ("$when", TemplateText.Select(t => Quote(Escape(t)))),
        ("$data", Gen.OneOf(TemplateText.Select(t => Quote(Escape(t))), Gen.Const("[1,2,3]"))),
        ("facts", Object(("title", TemplateText.Select(t => Quote(Escape(t)))), ("value", TemplateText.Select(t => Quote(Escape(t))))).Array[0, 2].Select(a => "[" + string.Join(",", a) + "]")),
        ("actions", Object(("type", Str("Action.Execute", "Action.Submit", "Action.OpenUrl")), ("verb", Str("approve")), ("title", Str("Approve")), ("url", TemplateText.Select(t => Quote(Escape(t)))), ("data", Object(("approvalId", TemplateText.Select(t => Quote(Escape(t))))))).Array[0, 2].Select(a => "[" + string.Join(",", a) + "]")));

    private static readonly Gen<string> Template = Object(
        ("type", Str("AdaptiveCard")), ("version", Str("1.5")), ("$data", Str("${$root}")), ("body", Element.Array[0, 4].Select(a => "[" + string.Join(",", a) + "]")));

    /// <summary>Data for a template: usually one field of its sample data, now and then hostile.</summary>
    private static Gen<string> DataFor(string template)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Cards, template + ".data.json"))) as JsonObject ?? [];
        return Object([.. sample.Select(p => (p.Key, Gen.Const(p.Value?.ToJsonString() ?? "null")))]);
    }

    [Fact]
    public void ShippedTemplates_RenderAnyDataToACardOrATemplateError()
    {
        var renderer = new CardRenderer(Catalog.Value);
        var names = Catalog.Value.Names.Order(StringComparer.Ordinal).ToArray();
        var gen = Gen.OneOf(names).SelectMany(name => Body(DataFor(name)).Select(data => (name, data)));
        Property.ForAll(gen, input =>
        {
            JsonNode? data;
            try
            {
                data = JsonNode.Parse(input.data);
            }
            catch (JsonException)
            {
                return; // Not JSON: templates only ever get data the service built.
            }

            RenderOrTemplateError(() => renderer.RenderTeams(input.name, data).ToJsonString());
            RenderOrTemplateError(() => renderer.RenderSlack(input.name, data).ToJsonString());
            RenderOrTemplateError(() => renderer.RenderHtml(input.name, data, "/console/actions"));
        }, iterations: 600, seed: 11, print: i => i.name + ": " + Property.Print(i.data));
    }

    [Fact]
    public void AnyTemplateText_CompilesAndExpandsOrIsATemplateError() =>
        Property.ForAll(Gen.Select(Body(Template), Body(Value)), input =>
        {
            CompiledTemplate template;
            try
            {
                template = CompiledTemplate.Parse(Encoding.UTF8.GetString(input.Item1), "cards/fuzz.json");
            }
            catch (CardTemplateException ex)
            {
                Assert.Contains("cards/fuzz.json", ex.Message, StringComparison.Ordinal);
                return;
            }

            JsonNode? data;
            try
            {
                data = JsonNode.Parse(input.Item2);
            }
            catch (JsonException)
            {
                data = null;
            }

            RenderOrTemplateError(() => template.Expand(data)?.ToJsonString() ?? "null");
        }, iterations: 1000, seed: 12);

    [Fact]
    public void AnyRuleFile_LoadsOrIsRefusedWithFileAndMessage()
    {
        var text = Gen.OneOf(Str("sales-vp", "finance", "cfo", ""), Gen.Const(Quote("\\ud800")), Gen.Const("5"));
        var rule = Object(60, 
            ("RuleName", Str("A", "B", "DealClosedWon", "")),
            ("Expression", Str("true", "e.SubscriptionType == \"deal.creation\"", "e.Nope > 1", "deal.Amount > 100", "((", "x =>", "System.IO.File.Delete(\"x\")", "e.ObjectId / 0 > 1")),
            ("RuleExpressionType", Str("LambdaExpression", "Nope")),
            ("Enabled", Gen.OneOf("true", "false")),
            ("Properties", Object(60, 
                ("workflow", Str("DealKickoff", "ProcurementApproval", "Teleport")), ("order", Digits(0, 3)),
                ("roles", Gen.OneOf(text.Array[0, 2].Select(r => "[" + string.Join(",", r) + "]"), text)), ("due", Str("48h", "soon", "-1h")),
                ("reminderEvery", Str("24h", "0h")), ("reminders", Digits(0, 3)), ("escalateTo", text), ("onExpiry", Str("escalate", "reject", "explode")), ("mode", Str("any", "all", "some")))));
        Gen<string> Workflow(params string[] names) => Object(60, 
            ("WorkflowName", Str(names)),
            ("Rules", rule.Array[0, 3].Select(r => "[" + string.Join(",", r) + "]")),
            ("GlobalParams", Gen.Const("[]")));
        Gen<byte[]> File(Gen<string> workflow) => Gen.Frequency((6, workflow.Select(Utf8)), (1, Body(workflow)), (1, workflow.Array[1, 2].Select(w => Utf8("[" + string.Join(",", w) + "]"))));
        var shippedRouting = System.IO.File.ReadAllBytes(Path.Combine(TestPaths.Rules, "routing.json"));
        var shippedPolicy = System.IO.File.ReadAllBytes(Path.Combine(TestPaths.Rules, "procurement-policy.json"));
        var gen = Gen.Frequency(
            (2, File(Workflow("Routing", "Mystery")).Select(r => (r, shippedPolicy))),
            (2, File(Workflow("ProcurementPolicy", "Mystery")).Select(p => (shippedRouting, p))),
            (1, Gen.Select(File(Workflow("Routing")), File(Workflow("ProcurementPolicy")))));
        var dir = TestPaths.NewTempDir();
        var catalog = RuleWorkflowKinds.Catalog();
        Property.ForAll(gen, files =>
        {
            System.IO.File.WriteAllBytes(Path.Combine(dir, "routing.json"), files.Item1);
            System.IO.File.WriteAllBytes(Path.Combine(dir, "procurement-policy.json"), files.Item2);
            var result = RuleSetLoader.LoadAsync(dir, DateTime.UtcNow, catalog).GetAwaiter().GetResult();
            Assert.True(result.Succeeded ^ (result.Errors.Count > 0));
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.ToString())));
        }, iterations: 150, seed: 13);
    }

    private static void RenderOrTemplateError(Func<string> render)
    {
        try
        {
            Assert.NotNull(render());
        }
        catch (Exception ex) when (ex is CardTemplateException or CardRenderException)
        {
            Assert.False(string.IsNullOrEmpty(ex.Message));
        }
    }
}
