using HubSpotOrchestrator.Shared;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// Reads a data file completely: every document of every collection through its primary key and through every other
/// index, and compares the counts. A damaged file shows up here, at start, instead of at random later.
/// </summary>
internal static class LiteStoreCheck
{
    public sealed record Result(int Collections, long Documents, IReadOnlyList<string> Problems)
    {
        public bool Healthy => Problems.Count == 0;
    }

    public static Result Run(LiteDatabase database)
    {
        var problems = new List<string>();
        var collections = 0;
        long documents = 0;
        List<string> names;
        try
        {
            names = [.. database.GetCollectionNames()];
        }
        #pragma warning disable CA1031 // any failure to read the catalogue is a finding, reported with its message
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            return new Result(0, 0, [$"the collection catalogue cannot be read: {ex.Message}"]);
        }

        foreach (var name in names)
        {
            collections++;
            try
            {
                documents += CheckCollection(database, name, problems);
            }
            #pragma warning disable CA1031 // a damaged page throws anything from LiteDB's readers; each is a finding
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                problems.Add($"collection '{name}' cannot be read: {ex.GetType().Name}: {ex.Message}");
            }
        }

        return new Result(collections, documents, problems);
    }

    private static long CheckCollection(LiteDatabase database, string name, List<string> problems)
    {
        var collection = database.GetCollection(name);
        var ids = new HashSet<BsonValue>();
        foreach (var document in collection.FindAll())
        {
            if (!ids.Add(document["_id"]))
            {
                problems.Add($"collection '{name}': document {document["_id"]} appears twice in the primary key");
            }
        }

        var indexes = database.GetCollection("$indexes").Find(Query.EQ("collection", name))
            .Select(i => i["name"].AsString).Where(i => i != "_id").ToList();
        foreach (var index in indexes)
        {
            var seen = new HashSet<BsonValue>();
            foreach (var document in collection.Find(Query.All(index)))
            {
                seen.Add(document["_id"]);
            }

            if (!seen.SetEquals(ids))
            {
                problems.Add($"collection '{name}', index '{index}': {seen.Count} documents through the index, {ids.Count} through the primary key");
            }
        }

        return ids.Count;
    }

    /// <summary>Refuses to start on a damaged file, saying how to rebuild it.</summary>
    public static void ThrowIfDamaged(LiteDatabase database, string path)
    {
        var result = Run(database);
        if (!result.Healthy)
        {
            throw Damaged(path, string.Join("; ", result.Problems.Take(3)), null);
        }
    }

    public static StartupProblemException Damaged(string path, string finding, Exception? inner)
    {
        var message = $"The data file {path} is damaged ({finding}). Stop the service and run "
            + "'dotnet run --project src/HubSpotOrchestrator -- storage rebuild': it keeps the damaged file beside it "
            + "and writes a rebuilt copy in its place. Storage:CheckOnStart=false starts without the full check.";
        return inner is null ? new StartupProblemException(message) : new StartupProblemException(message, inner);
    }
}
