using HubSpotOrchestrator.Hosting;

return await Cli.RunAsync(args);

/// <summary>Entry point; also the anchor type for WebApplicationFactory in tests.</summary>
public partial class Program;
