namespace HubSpotOrchestrator.People;

/// <summary>
/// One problem with the directory file. <paramref name="Person"/> is the person's id, or <c>#n</c> (1-based position)
/// for an entry without a usable id, or null for file-level problems.
/// </summary>
public sealed record DirectoryError(string File, int? Line, string? Person, string Message)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return Person switch
        {
            null => $"{where}: {Message}",
            ['#', ..] => $"{where}: person {Person}: {Message}",
            _ => $"{where}: person \"{Person}\": {Message}",
        };
    }
}

internal sealed record DirectoryLoadResult(DirectorySnapshot? Snapshot, IReadOnlyList<DirectoryError> Errors)
{
    public bool Succeeded => Snapshot is not null && Errors.Count == 0;
}
