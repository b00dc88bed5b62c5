namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>A template that cannot be parsed or expanded; names the template file and the JSON pointer of the element.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Pointer is an RFC 6901 JSON Pointer, the domain's own term, not a pointer type.")]
public sealed class CardTemplateException(string file, string pointer, string detail)
    : Exception($"{file} at {(pointer.Length == 0 ? "/" : pointer)}: {detail}")
{
    public string File { get; } = file;

    /// <summary>RFC 6901 pointer into the template ("" is the whole document).</summary>
    public string Pointer { get; } = pointer;

    public string Detail { get; } = detail;
}
