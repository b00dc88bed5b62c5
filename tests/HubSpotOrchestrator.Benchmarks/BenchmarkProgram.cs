namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/HubSpotOrchestrator.Benchmarks -- all|ingest|latency|routing</c>.
/// Runs the chosen benchmarks and overwrites docs/benchmarks.md with the figures of this run.
/// </summary>
internal static class BenchmarkProgram
{
    private const string Usage = "usage: dotnet run -c Release --project tests/HubSpotOrchestrator.Benchmarks -- all | ingest | latency | routing | workflows | chat [--out PATH]";

    public static async Task<int> Main(string[] args)
    {
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var outIndex = Array.IndexOf(args, "--out");
        var output = outIndex >= 0 && outIndex + 1 < args.Length ? Path.GetFullPath(args[outIndex + 1]) : Path.Combine(RepoPaths.Root, "docs", "benchmarks.md");
        if (outIndex >= 0)
        {
            names.Remove(args[outIndex + 1]);
        }

        if (names.Count == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var selected = names.Contains("all") ? ["ingest", "latency", "routing", "workflows", "chat"] : names;
        var unknown = selected.Except(["ingest", "latency", "routing", "workflows", "chat"]).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

#if DEBUG
        Console.Error.WriteLine("warning: Debug build; figures are not representative (use -c Release)");
#endif
        var report = new Report(MachineInfo.Collect());
        var started = DateTime.UtcNow;
        foreach (var name in selected)
        {
            Console.WriteLine($"== {name} ==");
            var section = name switch
            {
                "ingest" => await IngestBenchmark.RunAsync(Console.Out),
                "latency" => await LatencyBenchmark.RunAsync(Console.Out),
                "workflows" => await WorkflowBenchmark.RunAsync(Console.Out),
                "chat" => await ChatBenchmark.RunAsync(Console.Out),
                _ => await RoutingBenchmark.RunAsync(Console.Out),
            };
            report.Add(section);
        }

        report.TotalDuration = DateTime.UtcNow - started;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report.ToMarkdown(selected));
        Console.WriteLine($"wrote {output} ({report.TotalDuration.TotalSeconds:F0} s)");
        return 0;
    }
}
