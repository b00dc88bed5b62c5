using System.Globalization;
using System.Text;
using HubSpotOrchestrator.Hosting;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>One measured figure; <see cref="Met"/> is null when the figure has no target.</summary>
internal sealed record Figure(string Name, string Value, string Target = "", bool? Met = null);

internal sealed class Section(string title, string method)
{
    public string Title { get; } = title;

    public string Method { get; } = method;

    public List<Figure> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    public Section Add(string name, string value, string target = "", bool? met = null)
    {
        Figures.Add(new Figure(name, value, target, met));
        return this;
    }
}

/// <summary>Writes docs/benchmarks.md: machine, method, figures, targets and whether each was met.</summary>
internal sealed class Report(MachineInfo machine)
{
    private readonly List<Section> _sections = [];

    public TimeSpan TotalDuration { get; set; }

    public void Add(Section section) => _sections.Add(section);

    public string ToMarkdown(IReadOnlyList<string> selected)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmarks");
        sb.AppendLine();
        sb.AppendLine("Written by `dotnet run -c Release --project tests/HubSpotOrchestrator.Benchmarks -- all` (or one of `ingest`, `latency`, `workflows`, `chat`,");
        sb.AppendLine("`routing`); every run overwrites this file. Loopback only; the real service (`ServiceApp.Build`) runs on Kestrel");
        sb.AppendLine("127.0.0.1 in the benchmark process, with a temp data folder (LiteDB + Hangfire SQLite) and the repository's `rules/`.");
        sb.AppendLine("**The load driver runs in the same process and shares the CPU with the service** (and with anything else running on the machine).");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| | |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Date (UTC) | {machine.Date:yyyy-MM-dd HH:mm} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Logical CPUs (nproc) | {machine.ProcessorCount} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {machine.Cpu} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Memory | {machine.Memory} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| OS | {machine.Os} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {machine.Runtime}, {machine.Gc}, Release build |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| /proc/loadavg at start | {machine.LoadAverage} (the machine is shared; other work competes for the 2 cores) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Benchmarks run | {string.Join(", ", selected)} ({TotalDuration.TotalSeconds:F0} s in total) |");
        sb.AppendLine();
        sb.AppendLine("## Summary");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Figure | Value | Target | Met |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var section in _sections)
        {
            foreach (var f in section.Figures.Where(f => f.Met is not null))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {section.Title} | {f.Name} | {f.Value} | {f.Target} | {(f.Met == true ? "yes" : "**no**")} |");
            }
        }

        foreach (var section in _sections)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {section.Title}");
            sb.AppendLine();
            sb.AppendLine(section.Method);
            sb.AppendLine();
            sb.AppendLine("| Figure | Value | Target | Met |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var f in section.Figures)
            {
                var met = f.Met switch { true => "yes", false => "**no**", null => "" };
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Value} | {f.Target} | {met} |");
            }

            if (section.Notes.Count > 0)
            {
                sb.AppendLine();
                foreach (var note in section.Notes)
                {
                    sb.AppendLine("- " + note);
                }
            }
        }

        return sb.ToString();
    }
}
