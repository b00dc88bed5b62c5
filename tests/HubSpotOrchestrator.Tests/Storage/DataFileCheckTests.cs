using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Tests.Storage;

/// <summary>A damaged data file is found on start, with instructions; the storage tools check and rebuild it.</summary>
public sealed class DataFileCheckTests
{
    [Fact]
    public void HealthyFile_StartsAndChecksClean()
    {
        var options = Options(TestPaths.NewTempDir());
        Fill(options, 300);
        using (var db = new LiteDbContext(options, NullLogger<LiteDbContext>.Instance))
        {
            Assert.Equal(300, db.Read(() => db.Runs.Count()));
        }

        var (code, stdout, _) = RunCli("storage", "check", "--file", options.Value.DatabasePath);
        Assert.Equal(0, code);
        Assert.Contains("healthy", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedFile_RefusesToStartWithRebuildInstructions_AndRebuildKeepsTheOriginal()
    {
        var options = Options(TestPaths.NewTempDir());
        Fill(options, 2000);
        var path = options.Value.DatabasePath;
        Damage(path);

        var problem = Assert.Throws<StartupProblemException>(() => new LiteDbContext(options, NullLogger<LiteDbContext>.Instance));
        Assert.Contains("is damaged", problem.Message, StringComparison.Ordinal);
        Assert.Contains("storage rebuild", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, RunCli("storage", "check", "--file", path).Code);

        var (code, stdout, stderr) = RunCli("storage", "rebuild", "--file", path);
        Assert.True(code == 0, stdout + stderr);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.damaged-*"), f => !f.EndsWith(".log", StringComparison.Ordinal));
        using var rebuilt = new LiteDbContext(options, NullLogger<LiteDbContext>.Instance);
        Assert.InRange(rebuilt.Read(() => rebuilt.Runs.Count()), 1, 2000);
    }

    [Fact]
    public void FileOpenByAnOwner_CannotBeOpenedAgain_UntilItIsClosed()
    {
        var options = Options(TestPaths.NewTempDir());
        var path = options.Value.DatabasePath;
        using (new LiteDbContext(options, NullLogger<LiteDbContext>.Instance))
        {
            var refused = Assert.Throws<StartupProblemException>(() => LiteFileLock.Acquire(path, TimeSpan.Zero));
            Assert.Contains("in use by another orchestrator process", refused.Message, StringComparison.Ordinal);
            Assert.Throws<StartupProblemException>(() => RunCli("storage", "check", "--file", path));
        }

        using var again = LiteFileLock.Acquire(path, TimeSpan.Zero);
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("check", "--file")]
    public void WrongArguments_AreUsageErrors(params string[] args)
    {
        var error = Assert.Throws<CliException>(() => LiteStorageCommand.Run(args, TextWriter.Null, TextWriter.Null));
        Assert.Contains(args.Length == 1 ? "unknown storage verb" : "--file needs a path", error.Message, StringComparison.Ordinal);
    }

    private static IOptions<StorageOptions> Options(string dir) => Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataPath = dir });

    private static void Fill(IOptions<StorageOptions> options, int runs)
    {
        using var db = new LiteDbContext(options, NullLogger<LiteDbContext>.Instance);
        db.Write(() =>
        {
            for (var i = 0; i < runs; i++)
            {
                db.Runs.Insert(new Run { Id = $"run-{i:D5}", Workflow = "procurement-approval", SubjectType = "deal", SubjectId = i, CorrelationId = $"c{i}", CreatedAt = DateTime.UtcNow });
            }
        });
    }

    /// <summary>Overwrites the middle third of the file (index and data pages of the runs) with a byte pattern.</summary>
    private static void Damage(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var third = file.Length / 3;
        file.Position = third;
        var junk = Enumerable.Range(0, (int)third).Select(i => (byte)(i * 31 + 7)).ToArray();
        file.Write(junk);
    }

    private static (int Code, string Stdout, string Stderr) RunCli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LiteStorageCommand.Run(args[1..], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
