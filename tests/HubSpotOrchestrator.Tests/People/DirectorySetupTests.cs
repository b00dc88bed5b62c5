using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static HubSpotOrchestrator.Tests.Infrastructure.DirectoryJson;

namespace HubSpotOrchestrator.Tests.People;

public sealed class DirectorySetupTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPeopleDirectory(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task AddPeopleDirectory_LoadsTheConfiguredFileAtStart()
    {
        var dir = TestPaths.NewTempDir();
        var file = Path.Combine(dir, "people.json");
        await File.WriteAllTextAsync(file, Doc(Person("alice")));
        using var host = BuildHost(new() { ["Directory:Path"] = file, ["Directory:WatchForChanges"] = "false" });

        await host.StartAsync();
        try
        {
            var directory = host.Services.GetRequiredService<IPeopleDirectory>();
            Assert.Same(host.Services.GetRequiredService<DirectoryProvider>(), directory);
            Assert.Equal("alice", directory.Find("alice")?.Id);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddPeopleDirectory_RefusesToStartWithoutAPath()
    {
        using var host = BuildHost(new() { ["Directory:Path"] = "" });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryOptions_DefaultToTheSharedConfigFolder()
    {
        var options = new DirectoryOptions();
        Assert.Equal("config/directory.json", options.Path);
        Assert.True(options.WatchForChanges);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.ReloadDebounce);
    }
}
