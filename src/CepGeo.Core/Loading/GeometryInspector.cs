using System.Globalization;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace CepGeo.Core.Loading;

/// <summary>
/// For readers that get whole NTS geometries from a library (Shapefile, GeoPackage): notes Z/M and
/// unusable coordinates the way the GeoJSON reader does while parsing, and flattens to 2D.
/// </summary>
internal static class GeometryInspector
{
    private const double MaxPlausibleOrdinate = 1e10;

    public static (Geometry? Geometry, GeometryNotes Notes) Inspect(Geometry? geometry)
    {
        if (geometry is null)
            return (null, GeometryNotes.None);

        bool hadZ = false, hadM = false;
        string? bad = null;
        bool needsCopy = false;
        geometry.Apply(new SequenceVisitor(seq =>
        {
            needsCopy |= seq.Dimension > 2;
            for (int i = 0; i < seq.Count; i++)
            {
                double x = seq.GetX(i), y = seq.GetY(i);
                if (bad is null && !(Plausible(x) && Plausible(y)))
                    bad = (Plausible(x) ? y : x).ToString("R", CultureInfo.InvariantCulture);
                if (seq.HasZ && !double.IsNaN(seq.GetZ(i))) hadZ = true;
                if (seq.HasM && !double.IsNaN(seq.GetM(i))) hadM = true;
            }
        }));
        var flat = needsCopy ? new GeometryEditor(NtsGeometryServices.Instance.CreateGeometryFactory()).Edit(geometry, new ToXY()) : geometry;
        return (flat, new GeometryNotes(hadZ, hadM, bad));
    }

    private static bool Plausible(double v) => double.IsFinite(v) && Math.Abs(v) <= MaxPlausibleOrdinate;

    private sealed class SequenceVisitor(Action<CoordinateSequence> visit) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => false;
        public void Filter(CoordinateSequence seq) => visit(seq);
    }

    private sealed class ToXY : GeometryEditor.CoordinateOperation
    {
        public override Coordinate[] Edit(Coordinate[] coordinates, Geometry geometry) =>
            Array.ConvertAll(coordinates, c => new Coordinate(c.X, c.Y));
    }
}
