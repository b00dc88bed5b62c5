namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>The procurement test service in Development (the console's sign-in needs it), optionally on Kestrel for a browser.</summary>
public sealed class ConsoleApp(string environment = "Development", bool kestrel = false)
    : ProcurementApp(environment: environment, kestrel: kestrel);
