namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>A template that cannot be parsed or expanded; names the template file and the JSON pointer of the element.</summary>
public sealed class CardTemplateException(string file, string pointer, string detail)
    : Exception($"{file} at {(pointer.Length == 0 ? "/" : pointer)}: {detail}")
{
    public string File { get; } = file;

    /// <summary>RFC 6901 pointer into the template ("" is the whole document).</summary>
    public string Pointer { get; } = pointer;

    public string Detail { get; } = detail;
}
