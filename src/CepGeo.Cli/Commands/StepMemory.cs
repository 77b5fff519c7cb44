using CepGeo.Core.Pipeline;

namespace CepGeo.Cli.Commands;

/// <summary>
/// Gives memory back between the big steps of an analysis. Each of them (noding, tracing the faces,
/// the metrics, writing) fills arrays of tens of MB that are garbage once it is over; the server
/// collector keeps that memory and the next step's arrays come on top of it. A compacting
/// collection that returns free memory to the system, before each of these steps, keeps the peak
/// near what the run really holds (case B: 440–540 → 360–390 MB; see docs/decisions.md).
/// </summary>
internal static class StepMemory
{
    /// <summary>The steps (as <see cref="Analysis.Run"/> and <c>analyze</c> name them) that begin with a collection.</summary>
    public static readonly IReadOnlySet<string> CollectBefore =
        new HashSet<string> { Analysis.StepMosaic, Analysis.StepMosaic + ".faces", Analysis.StepMetrics, "write" };

    /// <summary>Called as <paramref name="step"/> starts, on the thread that runs the steps (no step is running).</summary>
    public static void Release(string step)
    {
        if (CollectBefore.Contains(step))
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
