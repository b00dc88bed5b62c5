namespace HubSpotOrchestrator.People;

/// <summary>One entry of the file as written, with the line of every field, before validation.</summary>
internal sealed class RawPerson(int index, int line)
{
    public int Index { get; } = index;

    public int Line { get; } = line;

    /// <summary>Field name → 1-based line where it appears.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>String fields as written; an explicit JSON null is stored as null.</summary>
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    public List<string>? Roles { get; set; }

    public DateTimeOffset? OutOfOfficeFrom { get; set; }

    public DateTimeOffset? OutOfOfficeUntil { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>Shape problems found while reading; reported once the person's id is known.</summary>
    public List<(int Line, string Message)> Problems { get; } = [];

    public string? Value(string field) => Values.GetValueOrDefault(field);

    public int LineOf(string field) => Lines.TryGetValue(field, out var line) ? line : Line;
}
