using CepGeo.Core.Model;
using ProjNet.CoordinateSystems;

namespace CepGeo.Core.Projection;

/// <summary>
/// A <see cref="CrsRef"/> turned into something that can transform coordinates: WGS 84-compatible
/// longitude/latitude, a closed-form projection of such coordinates, or (for anything else) a ProjNet
/// coordinate system.
/// </summary>
/// <remarks>
/// Datums: ETRS89, RGF93 and WGS 84 are treated as one (no datum shift). ETRS89 and RGF93 are fixed to
/// the Eurasian plate and drift from WGS 84 (ITRF) by about 2.5 cm a year since 1989, some 0.9 m by 2025:
/// a near-uniform shift that leaves areas unchanged and stays far below the digitising noise of the
/// boundaries CepGeo compares (slivers are tens of metres wide). ProjNet would apply no shift between
/// them either (their TOWGS84 is zero).
/// </remarks>
internal sealed class ResolvedCrs
{
    private ResolvedCrs(string name, ClosedFormProjection? closedForm, CoordinateSystem? projNet, bool isGeographic)
    {
        Name = name;
        ClosedForm = closedForm;
        ProjNet = projNet;
        IsGeographic = isGeographic;
    }

    /// <summary>For messages: the code, or the WKT's name.</summary>
    public string Name { get; }

    /// <summary>Longitude/latitude in degrees on a WGS 84-compatible datum.</summary>
    public bool IsGeographic { get; }

    /// <summary>A projection of WGS 84-compatible longitude/latitude computed in closed form.</summary>
    public ClosedFormProjection? ClosedForm { get; }

    /// <summary>Any other CRS, transformed by ProjNet (through WGS 84).</summary>
    public CoordinateSystem? ProjNet { get; }

    /// <summary>True when coordinates in both mean the same place (no transformation needed).</summary>
    public bool SameAs(ResolvedCrs other)
    {
        if (IsGeographic || other.IsGeographic) return IsGeographic && other.IsGeographic;
        if (ClosedForm is not null || other.ClosedForm is not null) return Equals(ClosedForm, other.ClosedForm);
        return ProjNet!.EqualParams(other.ProjNet);
    }

    private static readonly Ellipsoid Grs80 = Ellipsoid.Grs80;

    /// <summary>Resolves a code (any spelling <see cref="KnownCrs.NormaliseCode"/> accepts) or, failing that, the WKT.</summary>
    /// <param name="crs">The CRS.</param>
    /// <param name="source">Named in errors: the layer or setting the CRS belongs to.</param>
    public static ResolvedCrs Resolve(CrsRef crs, string source)
    {
        ArgumentNullException.ThrowIfNull(crs);
        string? code = KnownCrs.NormaliseCode(crs.Code);
        if (code is not null && FromCode(code) is { } known) return known;
        if (!string.IsNullOrWhiteSpace(crs.Wkt)) return FromWkt(crs.Wkt, source);
        if (crs.Code is null)
            throw new CepGeoInputException(source, null, new Phrase("aucun SCR donné (ni code ni WKT)", "no CRS given (neither a code nor WKT)"));
        throw new CepGeoInputException(source, null, new Phrase(
            $"SCR \"{crs.Code}\" inconnu et pas de WKT pour le définir ; CepGeo connaît {string.Join(", ", KnownCrs.Codes)}"
            + " par leur code (donnez un .prj avec le WKT, ou reprojetez le fichier dans l'un d'eux)",
            $"unknown CRS \"{crs.Code}\" and no WKT to define it; CepGeo knows {string.Join(", ", KnownCrs.Codes)}"
            + " by code (give a .prj with the WKT, or reproject the file to one of these)"));
    }

    private static ResolvedCrs? FromCode(string code)
    {
        if (KnownCrs.TryParseLaea(code, out double lon0, out double lat0))
            return new(code, new LambertAzimuthalEqualArea(Ellipsoid.Wgs84, lat0, lon0, 0, 0), null, false);
        return code switch
        {
            // ETRS89 and RGF93 geographic, as found in GeoJSON: longitude first like any GeoJSON.
            KnownCrs.Wgs84 or "EPSG:4258" or "EPSG:4171" => new(code, null, null, true),
            KnownCrs.Lambert93 => new(code, new LambertConformalConic2SP(Grs80, 49, 44, 46.5, 3, 700000, 6600000), null, false),
            KnownCrs.LaeaEurope => new(code, new LambertAzimuthalEqualArea(Grs80, 52, 10, 4321000, 3210000), null, false),
            KnownCrs.WebMercator => new(code, WebMercator.Instance, null, false),
            _ => null,
        };
    }

    private static ResolvedCrs FromWkt(string wkt, string source)
    {
        CoordinateSystem cs;
        try
        {
            cs = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException
                                       or FormatException or InvalidCastException or NotImplementedException)
        {
            throw new CepGeoInputException(source, null, new Phrase($"WKT du SCR illisible : {e.Message}", $"cannot read the CRS WKT: {e.Message}"), e);
        }
        string name = string.IsNullOrEmpty(cs.Name) ? "custom WKT" : cs.Name;
        return cs switch
        {
            GeographicCoordinateSystem g when IsWgs84Compatible(g) => new(name, null, null, true),
            ProjectedCoordinateSystem p when ClosedFormOf(p) is { } closed => new(name, closed, null, false),
            GeographicCoordinateSystem or ProjectedCoordinateSystem => new(name, null, cs, false),
            _ => throw new CepGeoInputException(source, null, new Phrase($"le SCR \"{name}\" n'est ni géographique ni projeté ; CepGeo ne peut pas l'employer",
                $"CRS \"{name}\" is neither geographic nor projected; CepGeo cannot use it")),
        };
    }

    /// <summary>
    /// Longitude/latitude in degrees from Greenwich, on the GRS 80 or WGS 84 ellipsoid, with no datum
    /// shift declared: WGS 84, ETRS89, RGF93 and the like (see the class remarks).
    /// </summary>
    private static bool IsWgs84Compatible(GeographicCoordinateSystem g)
    {
        var ellipsoid = g.HorizontalDatum?.Ellipsoid;
        if (ellipsoid is null) return false;
        double toMetres = ellipsoid.AxisUnit?.MetersPerUnit ?? 1;
        bool grs80OrWgs84 = Math.Abs(ellipsoid.SemiMajorAxis * toMetres - 6378137) < 1e-3
                            && (Math.Abs(ellipsoid.InverseFlattening - Ellipsoid.Grs80.InverseFlattening) < 1e-6
                                || Math.Abs(ellipsoid.InverseFlattening - Ellipsoid.Wgs84.InverseFlattening) < 1e-6);
        var shift = g.HorizontalDatum!.Wgs84Parameters;
        return grs80OrWgs84
               && (shift is null || shift.HasZeroValuesOnly)
               && (g.PrimeMeridian?.Longitude ?? 0) == 0
               && Math.Abs(g.AngularUnit.RadiansPerUnit - Math.PI / 180) < 1e-12;
    }

    /// <summary>
    /// The closed form of a projected CRS (say, a Shapefile's .prj of Lambert-93) when its method is one
    /// CepGeo computes and everything else is plain: WGS 84-compatible datum, degrees, metres.
    /// </summary>
    private static ClosedFormProjection? ClosedFormOf(ProjectedCoordinateSystem p)
    {
        if (!IsWgs84Compatible(p.GeographicCoordinateSystem)) return null;
        if (Math.Abs(p.LinearUnit.MetersPerUnit - 1) > 1e-12) return null;
        var ellipsoid = new Ellipsoid(p.GeographicCoordinateSystem.HorizontalDatum.Ellipsoid.SemiMajorAxis,
            p.GeographicCoordinateSystem.HorizontalDatum.Ellipsoid.InverseFlattening);
        var parameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < p.Projection.NumParameters; i++)
        {
            var parameter = p.Projection.GetParameter(i);
            parameters[parameter.Name] = parameter.Value;
        }
        double Get(string name, double fallback = 0) => parameters.TryGetValue(name, out double v) ? v : fallback;
        double? Find(params string[] names)
        {
            foreach (string n in names)
                if (parameters.TryGetValue(n, out double v)) return v;
            return null;
        }

        string method = p.Projection.ClassName.ToLowerInvariant().Replace(' ', '_');
        switch (method)
        {
            case "lambert_azimuthal_equal_area":
            {
                double? lat0 = Find("latitude_of_center", "latitude_of_origin");
                double? lon0 = Find("longitude_of_center", "central_meridian");
                if (lat0 is null || lon0 is null || !(Math.Abs(lat0.Value) < 90)) return null;
                return new LambertAzimuthalEqualArea(ellipsoid, lat0.Value, lon0.Value,
                    Get("false_easting"), Get("false_northing"));
            }
            case "lambert_conformal_conic_2sp" or "lambert_conformal_conic" or "lambert_conic_conformal_(2sp)":
            {
                // ESRI writes 2SP as "Lambert_Conformal_Conic"; its 1SP variant has one parallel and a scale.
                double? sp1 = Find("standard_parallel_1");
                double? sp2 = Find("standard_parallel_2");
                double? lat0 = Find("latitude_of_origin", "latitude_of_center");
                double? lon0 = Find("central_meridian", "longitude_of_center", "longitude_of_origin");
                if (sp1 is null || sp2 is null || lat0 is null || lon0 is null) return null;
                if (Math.Abs(Get("scale_factor", 1) - 1) > 1e-12) return null;
                return new LambertConformalConic2SP(ellipsoid, sp1.Value, sp2.Value, lat0.Value, lon0.Value,
                    Get("false_easting"), Get("false_northing"));
            }
            case "popular_visualisation_pseudo-mercator" or "pseudo-mercator" or "google_mercator" or "webmercator":
                bool plain = parameters.Where(kv => !kv.Key.Equals("scale_factor", StringComparison.OrdinalIgnoreCase))
                                       .All(kv => kv.Value == 0)
                             && Get("scale_factor", 1) == 1;
                return plain ? WebMercator.Instance : null;
            default:
                return null;
        }
    }
}
