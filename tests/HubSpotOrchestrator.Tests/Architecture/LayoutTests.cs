using System.Text;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HubSpotOrchestrator.Tests.Architecture;

/// <summary>
/// The layout of src/ as docs/architecture.md describes it, checked on the code itself: the service's sources are
/// compiled with Roslyn and every name is resolved to the symbol it means, so an edge between two feature folders
/// is a real use of a type or member, not a stray <c>using</c>.
/// </summary>
public class LayoutTests
{
    private const string Root = "HubSpotOrchestrator";
    private static readonly Lazy<FeatureGraph> Graph = new(FeatureGraph.Build);

    private static string Src => Path.Combine(TestPaths.RepoRoot, "src", Root);

    [Fact]
    public void FeatureFolders_DependOnEachOtherWithoutCycles()
    {
        var cycles = Graph.Value.Cycles();
        Assert.True(cycles.Count == 0, "Feature folders in a cycle:\n" + string.Join("\n", cycles.Select(c => string.Join(" ↔ ", c) + "\n" + Graph.Value.Explain(c))));
    }

    [Fact]
    public void ServiceSources_CompileSoEveryNameResolves()
    {
        Assert.True(Graph.Value.Errors.Count == 0, string.Join("\n", Graph.Value.Errors.Take(20)));
    }

    [Fact]
    public void ServiceSources_ImportOnlyTheNamespacesTheyUse()
    {
        // A using of another feature that nothing needs would show a dependency the code does not have; the rest is clutter left by moves.
        Assert.True(Graph.Value.UnusedUsings.Count == 0, string.Join("\n", Graph.Value.UnusedUsings));
    }

    [Theory]
    [InlineData("Routing", "Webhooks")]
    [InlineData("Routing", "Rules")]
    [InlineData("Routing", "Workflows")]
    [InlineData("Channels", "Approvals")]
    [InlineData("Workflows", "Approvals")]
    [InlineData("Storage", "Webhooks")]
    [InlineData("Hosting", "Api")]
    public void Graph_SeesTheDependenciesTheCodeHas(string from, string to)
    {
        // Guards the checks above against passing on an empty graph (names that no longer resolve).
        Assert.Contains(Graph.Value.Edges, e => e.From == from && e.To == to);
    }

    [Fact]
    public void SharedUtilities_DependOnNoFeature()
    {
        Assert.Empty(Graph.Value.EdgesFrom("Shared"));
    }

    [Fact]
    public void Features_DoNotDependOnStorageOrHosting()
    {
        var offenders = Graph.Value.Edges
            .Where(e => e.To is "Storage" or "Hosting" && e.From is not ("Storage" or "Hosting"))
            .Select(e => $"{e.From} → {e.To} ({string.Join(", ", e.Files.Take(3))})")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Storage_HoldsNoFeatureRecordType()
    {
        // Storage keeps the plumbing and the LiteDB implementations of the features' store interfaces; the records those
        // interfaces speak in belong to the features. Documents private to one implementation are nested in it.
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "LiteDbContext", "StorageSetup" };
        var offenders = Graph.Value.TopLevelTypes("Storage").Where(t => !t.StartsWith("Lite", StringComparison.Ordinal) && !allowed.Contains(t)).ToList();
        Assert.True(offenders.Count == 0, "Types in Storage that are not store plumbing or a Lite* implementation: " + string.Join(", ", offenders));
    }

    [Fact]
    public void NoSourceFile_IsLongerThan300Lines()
    {
        var tooLong = Directory.EnumerateFiles(Src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Src, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    private sealed record Edge(string From, string To, IReadOnlyList<string> Files);

    private sealed class FeatureGraph
    {
        private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];
        private readonly Dictionary<string, SortedSet<string>> _types = [];

        /// <summary>The implicit usings of the Web SDK (ImplicitUsings=enable in the service's project).</summary>
        private static readonly string[] ImplicitUsings =
        [
            "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
            "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
            "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json", "System.Threading", "System.Threading.Tasks",
        ];

        public IReadOnlyList<string> Errors { get; private init; } = [];

        public List<string> UnusedUsings { get; private set; } = [];

        public IEnumerable<Edge> Edges => _edges.Select(e => new Edge(e.Key.From, e.Key.To, [.. e.Value]));

        public IEnumerable<string> EdgesFrom(string feature) => _edges.Keys.Where(k => k.From == feature).Select(k => $"{k.From} → {k.To} ({string.Join(", ", _edges[k].Take(3))})");

        public SortedSet<string> TopLevelTypes(string feature) => _types.TryGetValue(feature, out var t) ? t : [];

        public static FeatureGraph Build()
        {
            var files = Directory.EnumerateFiles(Src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ToList();
            // Documentation comments parsed, so a type named only in a <see cref> counts as used.
            var options = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Diagnose);
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f, Encoding.UTF8)).ToList();
            var implicitUsings = CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using {u};\n")), options, "ImplicitUsings.g.cs", Encoding.UTF8);
            var compilation = CSharpCompilation.Create("Layout", [.. trees, implicitUsings], References(), new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            var graph = new FeatureGraph
            {
                // Partial methods of [GeneratedRegex] have no body without the source generator; nothing else may fail.
                Errors = [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Select(d => d.ToString())],
            };
            var unusedUsings = new List<string>();
            foreach (var tree in trees)
            {
                var relative = Path.GetRelativePath(Src, tree.FilePath).Replace('\\', '/');
                var from = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.IndexOf('/', StringComparison.Ordinal)] : null;
                if (from is null)
                {
                    continue;
                }

                var model = compilation.GetSemanticModel(tree);
                var root = tree.GetRoot();
                unusedUsings.AddRange(model.GetDiagnostics()
                    .Where(d => d.Id == "CS8019")
                    .Select(d => $"{relative}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {root.FindNode(d.Location.SourceSpan)}"));
                foreach (var type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax))
                {
                    graph.Type(from, type.Identifier.Text);
                }

                foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>().Where(n => n.Parent is not UsingDirectiveSyntax && n.FirstAncestorOrSelf<UsingDirectiveSyntax>() is null))
                {
                    var info = model.GetSymbolInfo(name);
                    foreach (var symbol in info.Symbol is { } s ? [s] : info.CandidateSymbols)
                    {
                        if (FeatureOf(symbol) is { } to && to != from)
                        {
                            graph.Add(from, to, relative);
                        }
                    }
                }
            }

            graph.UnusedUsings = unusedUsings;
            return graph;
        }

        public List<List<string>> Cycles()
        {
            // Tarjan's strongly connected components; any component with more than one folder is a cycle.
            var nodes = _edges.Keys.SelectMany(k => new[] { k.From, k.To }).Distinct().ToList();
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var onStack = new HashSet<string>();
            var result = new List<List<string>>();
            var counter = 0;

            void Visit(string v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack.Add(v);
                foreach (var w in _edges.Keys.Where(k => k.From == v).Select(k => k.To))
                {
                    if (!index.TryGetValue(w, out var wIndex))
                    {
                        Visit(w);
                        low[v] = Math.Min(low[v], low[w]);
                    }
                    else if (onStack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], wIndex);
                    }
                }

                if (low[v] == index[v])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    }
                    while (w != v);
                    if (component.Count > 1)
                    {
                        result.Add(component);
                    }
                }
            }

            foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
            {
                Visit(node);
            }

            return result;
        }

        public string Explain(IReadOnlyCollection<string> component) =>
            string.Join("\n", _edges.Where(e => component.Contains(e.Key.From) && component.Contains(e.Key.To))
                .Select(e => $"  {e.Key.From} → {e.Key.To}: {string.Join(", ", e.Value.Take(4))}"));

        private void Add(string from, string to, string file)
        {
            if (!_edges.TryGetValue((from, to), out var files))
            {
                _edges[(from, to)] = files = new SortedSet<string>(StringComparer.Ordinal);
            }

            files.Add(file);
        }

        private void Type(string feature, string name)
        {
            if (!_types.TryGetValue(feature, out var names))
            {
                _types[feature] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            names.Add(name);
        }

        private static string? FeatureOf(ISymbol symbol)
        {
            if (symbol is INamespaceSymbol)
            {
                return null;
            }

            var ns = (symbol as ITypeSymbol ?? symbol.ContainingType)?.ContainingNamespace?.ToDisplayString() ?? symbol.ContainingNamespace?.ToDisplayString();
            if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal))
            {
                return null;
            }

            var rest = ns[(Root.Length + 1)..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? rest : rest[..dot];
        }

        private static List<MetadataReference> References()
        {
            var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
                .Where(p => !Path.GetFileName(p).StartsWith(Root, StringComparison.Ordinal))
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First());
            return [.. paths.Select(p => MetadataReference.CreateFromFile(p))];
        }
    }
}
