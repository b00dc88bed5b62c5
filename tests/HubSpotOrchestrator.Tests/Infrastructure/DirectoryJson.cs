using System.Text;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>Builds directory files with one person per line, so person <c>i</c> (0-based) is on line <c>3 + i</c>.</summary>
internal static class DirectoryJson
{
    public const string FileName = "dir.json";

    public static string ShippedPath => Path.Combine(TestPaths.RepoRoot, "config", "directory.json");

    public static string Person(string id, string extra = "", string roles = "\"sales-rep\"") =>
        $$"""{ "id": "{{id}}", "name": "Name {{id}}", "email": "{{id}}@example.com", "roles": [{{roles}}]{{extra}} }""";

    public static string Doc(params string[] people) =>
        "{\n  \"people\": [\n" + string.Join(",\n", people.Select(p => "    " + p)) + "\n  ]\n}\n";

    public static int LineOfPerson(int index) => 3 + index;

    internal static DirectoryLoadResult Parse(string json) => DirectoryLoader.Parse(FileName, Encoding.UTF8.GetBytes(json));

    internal static DirectorySnapshot Load(string json)
    {
        var result = Parse(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Snapshot!;
    }

    public static IReadOnlyList<DirectoryError> Errors(string json)
    {
        var result = Parse(json);
        Assert.False(result.Succeeded, "expected the directory to be refused");
        Assert.Null(result.Snapshot);
        return result.Errors;
    }
}
