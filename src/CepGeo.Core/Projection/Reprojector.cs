using System.Globalization;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CepGeo.Core.Projection;

/// <summary>
/// Transforms coordinates from one CRS to another. x is easting or longitude, y northing or latitude.
/// Lambert-93, LAEA (EPSG:3035 and the automatic study LAEA) and Web Mercator are computed in closed form
/// (exact to the micrometre, tens of millions of points per second); any other CRS goes through ProjNet
/// via WGS 84 longitude/latitude.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed class Reprojector
{
    private readonly Step[] _steps;

    private Reprojector(CrsRef from, CrsRef to, Step[] steps)
    {
        From = from;
        To = to;
        _steps = steps;
    }

    public CrsRef From { get; }

    public CrsRef To { get; }

    /// <summary>True when both CRSs are the same (coordinates are copied unchanged).</summary>
    public bool IsIdentity => _steps.Length == 0;

    /// <summary>
    /// A reprojector between two CRSs. Throws <see cref="CepGeoInputException"/> for a CRS CepGeo cannot
    /// resolve (an unknown code without WKT, unreadable WKT).
    /// </summary>
    /// <param name="from">The CRS of the coordinates given.</param>
    /// <param name="to">The CRS wanted.</param>
    /// <param name="source">Named in errors: the layer or setting the CRSs come from.</param>
    public static Reprojector Create(CrsRef from, CrsRef to, string source = "crs")
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var a = ResolvedCrs.Resolve(from, source);
        var b = ResolvedCrs.Resolve(to, source);
        return new Reprojector(from, to, PlanSteps(a, b));
    }

    /// <summary>
    /// Projects every feature of a layer (ids, names and attributes kept) and returns the new layer in
    /// <paramref name="to"/>. A feature that cannot be projected is an error naming the layer and feature.
    /// </summary>
    /// <param name="inPlace">Transform the layer's own geometries instead of copies: for a caller that
    /// gives the layer up (after an error, some of its geometries are projected, some not). A
    /// geometry held by several features is projected once; parts shared between geometries, or
    /// geometries shared with another layer, are not looked for (no reader makes them).</param>
    public static Layer Project(Layer layer, CrsRef to, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var reprojector = Create(layer.Crs, to, layer.Source);
        var features = new Feature[layer.Features.Count];
        // In place, a geometry held by several features (a commune alone in two zones of a zone
        // list) must be projected once: the later holders get copies, made before any projecting.
        var geometries = layer.Features.Select(f => f.Geometry).ToArray();
        if (inPlace)
        {
            var seen = new HashSet<Geometry>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < geometries.Length; i++)
                if (!seen.Add(geometries[i])) geometries[i] = geometries[i].Copy();
        }
        // Features are independent: projected on every core, the first failure in file order reported.
        InFileOrder.ForOrThrow(features.Length, i =>
        {
            var feature = layer.Features[i];
            try
            {
                features[i] = feature with
                {
                    Geometry = inPlace ? reprojector.TransformInPlace(geometries[i]) : reprojector.Transform(feature.Geometry),
                };
            }
            catch (CepGeoInputException e)
            {
                throw new CepGeoInputException(layer.Source, feature.Id, e.Words, e);
            }
        });
        return layer.WithFeatures(features, to);
    }

    /// <summary>
    /// Transforms coordinates in place. A point that cannot be transformed (latitude beyond ±90°, the far
    /// side of the globe in an azimuthal projection) comes out as NaN; this method does not throw for it.
    /// </summary>
    public void Transform(Span<double> xs, Span<double> ys)
    {
        if (xs.Length != ys.Length)
            throw new ArgumentException($"xs has {xs.Length} values but ys has {ys.Length}.", nameof(ys));
        foreach (var step in _steps) step.Apply(xs, ys);
    }

    /// <summary>
    /// A transformed copy of the geometry (Z and M are kept as they are; the SRID is not touched: CepGeo
    /// keeps the CRS on the <see cref="Layer"/>). Throws <see cref="CepGeoInputException"/> when a
    /// coordinate cannot be transformed.
    /// </summary>
    public Geometry Transform(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return TransformInPlace(geometry.Copy());
    }

    /// <summary>
    /// Transforms the geometry's own coordinates (for a geometry made for the purpose, such as a
    /// gap polygon about to be written: no copy). Throws as <see cref="Transform(Geometry)"/> does.
    /// </summary>
    public Geometry TransformInPlace(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (IsIdentity) return geometry;
        geometry.Apply(new SequenceFilter(this));
        return geometry;
    }

    /// <summary>
    /// A coordinate sequence's x, y, transformed, into <paramref name="xs"/> and <paramref name="ys"/>
    /// (the sequence is not changed). Throws <see cref="CepGeoInputException"/> naming the first point
    /// (as given) that cannot be transformed; an identity leaves every value as it is, NaN included. With
    /// <paramref name="decimals"/> ≥ 0, for values about to be rounded to that many decimals (half away from zero): a value
    /// may differ from the exact transform's in its last digits, its rounding never does; from Lambert-93 (any Lambert
    /// conformal conic) to lon/lat, most points are then computed without a transcendental function
    /// (<see cref="LambertConformalConic2SP.InverseForRounding"/>).
    /// </summary>
    public void Transform(CoordinateSequence sequence, Span<double> xs, Span<double> ys, int decimals = -1)
    {
        int n = sequence.Count;
        for (int i = 0; i < n; i++)
        {
            xs[i] = sequence.GetX(i);
            ys[i] = sequence.GetY(i);
        }
        if (IsIdentity || !Transform(xs[..n], ys[..n], decimals, out int bad)) return;
        throw Untransformable(sequence.GetX(bad), sequence.GetY(bad));
    }

    /// <summary>As <see cref="Transform(CoordinateSequence, Span{double}, Span{double}, int)"/>, for x, y pairs in one span.</summary>
    public void Transform(ReadOnlySpan<double> xy, Span<double> xs, Span<double> ys, int decimals = -1)
    {
        int n = xy.Length / 2;
        for (int i = 0; i < n; i++)
        {
            xs[i] = xy[2 * i];
            ys[i] = xy[2 * i + 1];
        }
        if (IsIdentity || !Transform(xs[..n], ys[..n], decimals, out int bad)) return;
        throw Untransformable(xy[2 * bad], xy[2 * bad + 1]);
    }

    /// <summary>Transforms in place (see <see cref="Transform(CoordinateSequence, Span{double}, Span{double}, int)"/> for
    /// <paramref name="decimals"/>); true, with the first such point, when a point could not be transformed.</summary>
    private bool Transform(Span<double> xs, Span<double> ys, int decimals, out int bad)
    {
        if (decimals >= 0 && _steps is [InverseStep { Projection: LambertConformalConic2SP lcc }])
            lcc.InverseForRounding(xs, ys, Math.Pow(10, decimals));
        else Transform(xs, ys);
        for (bad = 0; bad < xs.Length; bad++)
            if (!double.IsFinite(xs[bad]) || !double.IsFinite(ys[bad])) return true;
        return false;
    }

    private CepGeoInputException Untransformable(double x, double y) =>
        new(From.ToString(), null, string.Create(CultureInfo.InvariantCulture,
            $"coordinate ({x}, {y}) cannot be transformed to {To} (latitude beyond ±90° or the far side of the globe?)"));

    private static Step[] PlanSteps(ResolvedCrs a, ResolvedCrs b)
    {
        if (a.SameAs(b)) return [];
        if (a.ProjNet is not null && b.ProjNet is not null)
            return [new ProjNetStep(a.ProjNet, b.ProjNet)];
        var steps = new List<Step>(2);
        if (a.ClosedForm is not null) steps.Add(new InverseStep(a.ClosedForm));
        else if (a.ProjNet is not null) steps.Add(new ProjNetStep(a.ProjNet, GeographicCoordinateSystem.WGS84));
        if (b.ClosedForm is not null) steps.Add(new ForwardStep(b.ClosedForm));
        else if (b.ProjNet is not null) steps.Add(new ProjNetStep(GeographicCoordinateSystem.WGS84, b.ProjNet));
        return [.. steps];
    }

    private abstract class Step
    {
        public abstract void Apply(Span<double> xs, Span<double> ys);
    }

    private sealed class ForwardStep(ClosedFormProjection projection) : Step
    {
        public override void Apply(Span<double> xs, Span<double> ys) => projection.Forward(xs, ys);
    }

    private sealed class InverseStep(ClosedFormProjection projection) : Step
    {
        public ClosedFormProjection Projection => projection;

        public override void Apply(Span<double> xs, Span<double> ys) => projection.Inverse(xs, ys);
    }

    /// <summary>ProjNet, point by point (its span overloads do the same inside).</summary>
    private sealed class ProjNetStep : Step
    {
        private readonly MathTransform _transform;

        public ProjNetStep(CoordinateSystem from, CoordinateSystem to) =>
            _transform = new CoordinateTransformationFactory().CreateFromCoordinateSystems(from, to).MathTransform;

        public override void Apply(Span<double> xs, Span<double> ys)
        {
            // ProjNet does not document its transforms as thread-safe; they are cheap to serialise
            // next to their own cost.
            lock (_transform)
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    double x = xs[i], y = ys[i];
                    try
                    {
                        _transform.Transform(ref x, ref y);
                    }
                    catch (ArithmeticException)
                    {
                        x = y = double.NaN;
                    }
                    xs[i] = x;
                    ys[i] = y;
                }
            }
        }
    }

    /// <summary>Transforms each coordinate sequence of a geometry as two spans.</summary>
    private sealed class SequenceFilter(Reprojector reprojector) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            int n = seq.Count;
            // A work array per thread: the shared pool's thread cache holds one array per size, and
            // national layers are hundreds of thousands of rings.
            if (t_buffer is null || t_buffer.Length < 2 * n) t_buffer = new double[Math.Max(2 * n, 2 * (t_buffer?.Length ?? 512))];
            var xs = t_buffer.AsSpan(0, n);
            var ys = t_buffer.AsSpan(n, n);
            reprojector.Transform(seq, xs, ys);
            for (int i = 0; i < n; i++)
            {
                seq.SetX(i, xs[i]);
                seq.SetY(i, ys[i]);
            }
        }

        [ThreadStatic]
        private static double[]? t_buffer;
    }
}
