namespace HubSpotOrchestrator.Shared;

/// <summary>A usage or input error of a CLI verb: printed as "error: …" with exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
