using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// A test's progress lines, time-stamped: shown in the test's output, kept for its failure message, and appended to
/// summary.txt in its output folder as they come (xUnit shows the output only at the end; a LONG run can be followed
/// with <c>tail -f</c>).
/// </summary>
public sealed class TestLog
{
    private readonly ITestOutputHelper _output;
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public TestLog(ITestOutputHelper output, string folder)
    {
        _output = output;
        Path = System.IO.Path.Combine(folder, "summary.txt");
        File.WriteAllText(Path, "");
    }

    public string Path { get; }

    public void Line(string line)
    {
        var stamped = DateTime.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + line;
        lock (_gate)
        {
            _text.AppendLine(stamped);
            File.AppendAllText(Path, stamped + "\n");
        }

        _output.WriteLine(stamped);
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
