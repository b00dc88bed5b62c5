using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>One sample of the service's footprint.</summary>
/// <param name="Files">Size of each file of the data folder, by name.</param>
public sealed record ResourceSample(double Seconds, long RssBytes, long StoreBytes, IReadOnlyDictionary<string, long> Files, int AcknowledgedEvents, int FailedDeliveries);

/// <summary>
/// Samples the process's RSS (/proc/PID/status VmRSS) and the data folder's file sizes at a fixed interval, writes them as
/// CSV, and fits a least-squares line through a window of samples to tell growth from noise.
/// </summary>
public sealed class ResourceSampler
{
    private readonly List<ResourceSample> _samples = [];

    public IReadOnlyList<ResourceSample> Samples => _samples;

    public ResourceSample Take(double seconds, ServiceProcess service, int acknowledged, int failed)
    {
        var files = Directory.Exists(service.DataDir)
            ? Directory.EnumerateFiles(service.DataDir).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length, StringComparer.Ordinal)
            : [];
        var sample = new ResourceSample(seconds, service.RssBytes() ?? 0, files.Values.Sum(), files, acknowledged, failed);
        _samples.Add(sample);
        return sample;
    }

    /// <summary>
    /// Theil–Sen slope in MB per minute of the samples from <paramref name="fromSeconds"/> on: the median of the slopes
    /// between every pair of samples. A straight-line fit like least squares, but one spike (a GC, a journal
    /// checkpoint) does not tilt it.
    /// </summary>
    public double MedianSlopeMbPerMinute(double fromSeconds, Func<ResourceSample, long> value)
    {
        var window = _samples.Where(s => s.Seconds >= fromSeconds).ToList();
        var slopes = new List<double>();
        for (var i = 0; i < window.Count; i++)
        {
            for (var j = i + 1; j < window.Count; j++)
            {
                if (window[j].Seconds > window[i].Seconds)
                {
                    slopes.Add((value(window[j]) - value(window[i])) / (window[j].Seconds - window[i].Seconds));
                }
            }
        }

        if (slopes.Count < 3)
        {
            return double.NaN;
        }

        slopes.Sort();
        var median = slopes.Count % 2 == 1 ? slopes[slopes.Count / 2] : (slopes[(slopes.Count / 2) - 1] + slopes[slopes.Count / 2]) / 2;
        return median * 60 / (1024 * 1024);
    }

    /// <summary>Slope in MB per minute of a least-squares line through the samples from <paramref name="fromSeconds"/> on.</summary>
    public double SlopeMbPerMinute(double fromSeconds, Func<ResourceSample, long> value)
    {
        var window = _samples.Where(s => s.Seconds >= fromSeconds).ToList();
        if (window.Count < 3)
        {
            return double.NaN;
        }

        var meanX = window.Average(s => s.Seconds);
        var meanY = window.Average(s => (double)value(s));
        var numerator = window.Sum(s => (s.Seconds - meanX) * (value(s) - meanY));
        var denominator = window.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
        return denominator == 0 ? 0 : numerator / denominator * 60 / (1024 * 1024);
    }

    /// <summary>The samples as CSV: seconds, RSS, store total, events acknowledged, failed deliveries, then one column per data file.</summary>
    public string ToCsv()
    {
        var files = _samples.SelectMany(s => s.Files.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', ((string[])["seconds", "rss_bytes", "store_bytes", "acknowledged_events", "failed_deliveries"]).Concat(files.Select(f => "file:" + f))));
        foreach (var s in _samples)
        {
            csv.AppendLine(string.Join(',', ((string[])
            [
                s.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                s.RssBytes.ToString(CultureInfo.InvariantCulture),
                s.StoreBytes.ToString(CultureInfo.InvariantCulture),
                s.AcknowledgedEvents.ToString(CultureInfo.InvariantCulture),
                s.FailedDeliveries.ToString(CultureInfo.InvariantCulture),
            ]).Concat(files.Select(f => s.Files.GetValueOrDefault(f).ToString(CultureInfo.InvariantCulture)))));
        }

        return csv.ToString();
    }
}
