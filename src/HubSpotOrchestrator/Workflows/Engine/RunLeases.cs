using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Names who holds a run's lease: "{node}/{process}/{execution}". The node is <see cref="WorkflowOptions.NodeName"/> (the
/// machine name by default), the process a new id at every start, the execution a new id per executor call, so two
/// executions never share a lease, not even in one process.
/// </summary>
/// <remarks>
/// Leases are the arbiter between nodes: a run leased by another node is taken over only once its lease ran out (its
/// worker renews it while alive). A lease held by an earlier process of this node, found when the service starts, is
/// different: one process runs per node name, so that process is gone, and its runs are taken over at once rather than
/// up to a lease duration later.
/// </remarks>
public sealed partial class RunLeases
{
    public RunLeases(IOptions<WorkflowOptions> options)
    {
        Node = options.Value.NodeName is { Length: > 0 } name ? name : NodeUnsafe().Replace(Environment.MachineName, "-");
        Process = $"{Node}/{Guid.NewGuid():N}";
    }

    /// <summary>This node's name.</summary>
    public string Node { get; }

    /// <summary>This process: "{node}/{process id}".</summary>
    public string Process { get; }

    /// <summary>A lease owner for one execution of one run by this process.</summary>
    public string NewOwner() => $"{Process}/{Guid.NewGuid():N}";

    /// <summary>Whether <paramref name="owner"/> is an execution of an earlier process of this node (so it is dead).</summary>
    public bool IsEarlierProcessOfThisNode(string owner) =>
        owner.StartsWith(Node + "/", StringComparison.Ordinal) && !owner.StartsWith(Process + "/", StringComparison.Ordinal);

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex NodeUnsafe();
}
