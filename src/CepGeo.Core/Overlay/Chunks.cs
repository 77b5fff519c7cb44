namespace CepGeo.Core.Overlay;

/// <summary>How the mosaic's loops over millions of items are cut for the cores.</summary>
internal static class Chunks
{
    /// <summary>Chunks for a loop over <paramref name="n"/> items: one when small, else four a core.</summary>
    public static int For(int n) => n < 1 << 16 ? 1 : 4 * Environment.ProcessorCount;

    /// <summary>Where chunk <paramref name="c"/> of <paramref name="chunks"/> over <paramref name="n"/> items starts (chunk <paramref name="chunks"/>: n).</summary>
    public static int Start(int n, int c, int chunks) => (int)((long)n * c / chunks);
}
