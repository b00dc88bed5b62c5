namespace HubSpotOrchestrator.Cards.Templating;

/// <summary>A binding that cannot be parsed, or that uses an operator or function outside the documented subset.</summary>
internal sealed class TemplateSyntaxException(string message) : Exception(message);

/// <summary>A binding that parsed but cannot be evaluated against the data in strict mode.</summary>
internal sealed class TemplateEvaluationException(string message) : Exception(message);
