using CepGeo.Core.Overlay;

namespace CepGeo.Core.Metrics;

/// <summary>Areal weighting: each weight polygon's count spread over its faces in proportion to area.</summary>
public static class Population
{
    /// <summary>
    /// The weighted count of every face. A weight polygon's area is taken as the sum of its faces'
    /// areas (not its own polygon area), so the counts of its faces add up to its value exactly.
    /// </summary>
    public static double[] PerFace(Mosaic mosaic, int weightLayer, IReadOnlyList<double> values)
    {
        var labels = mosaic.Labels[weightLayer];
        var area = new double[values.Count];
        for (int f = 0; f < mosaic.FaceCount; f++)
            foreach (int w in labels[f])
                area[w] += mosaic.AreaKm2[f];
        var pop = new double[mosaic.FaceCount];
        for (int f = 0; f < mosaic.FaceCount; f++)
            foreach (int w in labels[f])
                if (area[w] > 0)
                    pop[f] += values[w] * (mosaic.AreaKm2[f] / area[w]);
        return pop;
    }
}
