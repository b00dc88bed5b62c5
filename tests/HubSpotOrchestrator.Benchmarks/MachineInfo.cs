using System.Runtime;
using System.Runtime.InteropServices;

namespace HubSpotOrchestrator.Benchmarks;

internal sealed record MachineInfo(int ProcessorCount, string Memory, string Cpu, string Os, string Runtime, string Gc, DateTime Date, string LoadAverage)
{
    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        MemTotal(),
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC ? "Server GC" : "Workstation GC",
        DateTime.UtcNow,
        ReadLines("/proc/loadavg").FirstOrDefault() ?? "unknown");

    private static string MemTotal()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line is null)
        {
            return "unknown";
        }

        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        return $"{kb / 1024.0 / 1024.0:F1} GiB";
    }

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
