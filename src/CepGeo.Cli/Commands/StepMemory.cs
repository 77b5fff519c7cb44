using System.Runtime;
using CepGeo.Core.Overlay;
using CepGeo.Core.Pipeline;

namespace CepGeo.Cli.Commands;

/// <summary>
/// How an analysis uses the collector: no collection while loading, and memory given back between
/// the big steps. Each of these (noding, tracing the faces, the metrics, writing) fills arrays of
/// tens of MB that are garbage once it is over; the server collector keeps that memory and the
/// next step's arrays come on top of it. A compacting collection that returns free memory to the
/// system, before each of these steps, keeps the peak near what the run really holds (case B:
/// 481–527 → 362–367 MB; see docs/decisions.md).
/// </summary>
internal static class StepMemory
{
    /// <summary>The step in which <c>analyze</c> writes its files.</summary>
    public const string StepWrite = "write";

    /// <summary>The steps (as <see cref="Analysis.Run"/> and <c>analyze</c> name them) that begin with a collection.</summary>
    public static readonly IReadOnlySet<string> CollectBefore = new HashSet<string>
    {
        Analysis.StepMosaic, Analysis.MosaicStep(Mosaic.StepFaces), Analysis.StepMetrics, StepWrite,
    };

    /// <summary>
    /// Reads the layers without collections until <see cref="IDisposable.Dispose"/> (call it as the
    /// next step starts). Loading only adds what the run keeps, besides the file being parsed:
    /// collecting while it grows found little to free, and cost ~0.1–0.2 s of pauses on case B.
    /// Room is asked for three times the files' size (case B allocates 2.5 times its 64 MB while
    /// loading); past it, collections simply resume. When the room cannot be had (too large, or
    /// another analysis in the process already holds such a region), nothing changes.
    /// </summary>
    public static IDisposable LoadWithoutCollections(long inputBytes)
    {
        long room = Math.Min(3 * Math.Min(inputBytes, 1L << 30) + (32L << 20), 1L << 30);
        try
        {
            return GC.TryStartNoGCRegion(room) ? new NoCollections() : NoRegion;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return NoRegion;
        }
    }

    private static readonly IDisposable NoRegion = new NoCollections { Ended = true };

    private sealed class NoCollections : IDisposable
    {
        public bool Ended;

        public void Dispose()
        {
            if (Ended) return;
            Ended = true;
            try
            {
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The room ran out and the collector has resumed: nothing to end.
            }
        }
    }

    /// <summary>Called as <paramref name="step"/> starts, on the thread that runs the steps (no step is running).</summary>
    public static void Release(string step)
    {
        if (CollectBefore.Contains(step))
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
