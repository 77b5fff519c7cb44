using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Projection;

/// <summary>Chooses the CRS areas are measured in (spec §3).</summary>
public static class EqualArea
{
    /// <summary>
    /// Where EPSG:3035 is used by default: the study's whole lon/lat box must lie in it. Roughly the CRS's
    /// area of use (Europe with the Azores, Madeira and the Canaries, to the Urals' foot); beyond it the
    /// projection stays equal-area but shapes stretch, and a projection centred on the study is better.
    /// </summary>
    private static readonly Envelope Europe = new(-31, 45, 27, 72);

    /// <summary>
    /// The CRS areas are measured in. <c>"auto"</c>: EPSG:3035 when the study's lon/lat box lies in
    /// Europe (−31…45°E, 27…72°N), else a Lambert azimuthal equal-area projection centred on the box
    /// (code <c>LAEA:lon0,lat0</c>). An explicit setting is used as given: <c>EPSG:3035</c>,
    /// <c>LAEA:lon0,lat0</c>, or <c>EPSG:2154</c> — Lambert-93 is conformal, not equal-area (areas off
    /// by −0.2 % to +0.6 % over mainland France and Corsica): accepted as an explicit override, never chosen by "auto".
    /// Geographic and Web Mercator codes and codes CepGeo does not know are errors naming the setting.
    /// </summary>
    /// <param name="studyCrs">The study's <c>crs</c> setting.</param>
    /// <param name="lonLatBounds">The study's extent in WGS 84 longitude/latitude (used by "auto").</param>
    /// <param name="source">Named in errors (the study file).</param>
    public static CrsRef Choose(string studyCrs, Envelope lonLatBounds, string source = "study")
    {
        ArgumentNullException.ThrowIfNull(studyCrs);
        string setting = studyCrs.Trim();
        if (setting.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            ArgumentNullException.ThrowIfNull(lonLatBounds);
            if (lonLatBounds.IsNull)
                throw new ArgumentException("The study extent is empty: nothing to centre a projection on.", nameof(lonLatBounds));
            if (Europe.Contains(lonLatBounds)) return KnownCrs.Get(KnownCrs.LaeaEurope, declared: false);
            // A box across the antimeridian would be centred on the wrong side; areas stay exact anyway
            // (LAEA is equal-area everywhere but at the antipode), only shapes would suffer.
            return KnownCrs.Laea(lonLatBounds.Centre.X, lonLatBounds.Centre.Y, declared: false);
        }

        string? code = KnownCrs.NormaliseCode(setting);
        if (code is not null && KnownCrs.TryParseLaea(code, out double lon0, out double lat0))
            return KnownCrs.Laea(lon0, lat0, declared: true);
        return code switch
        {
            KnownCrs.LaeaEurope or KnownCrs.Lambert93 => KnownCrs.Get(code),
            KnownCrs.Wgs84 or "EPSG:4258" or "EPSG:4171" => throw Problem(source,
                $"crs : {code} est en degrés de longitude/latitude ; les surfaces demandent un SCR projeté (écrivez \"auto\" ou EPSG:3035)",
                $"crs: {code} is longitude/latitude in degrees; areas need a projected CRS (use \"auto\" or EPSG:3035)"),
            KnownCrs.WebMercator => throw Problem(source,
                "crs : EPSG:3857 (Web Mercator) est fait pour les cartes web ; il double les surfaces aux latitudes françaises (écrivez \"auto\" ou EPSG:3035)",
                "crs: EPSG:3857 (Web Mercator) is for web maps; it doubles areas at French latitudes (use \"auto\" or EPSG:3035)"),
            null => throw Problem(source,
                $"crs : \"{setting}\" n'est pas un SCR ; écrivez \"auto\", EPSG:3035, EPSG:2154 ou LAEA:lon,lat",
                $"crs: \"{setting}\" is not a CRS; use \"auto\", EPSG:3035, EPSG:2154 or LAEA:lon,lat"),
            _ => throw Problem(source,
                $"crs : {code} n'est pas un SCR que CepGeo connaisse pour les surfaces ; écrivez \"auto\", EPSG:3035, EPSG:2154 ou LAEA:lon,lat",
                $"crs: {code} is not a CRS CepGeo knows for areas; use \"auto\", EPSG:3035, EPSG:2154 or LAEA:lon,lat"),
        };
    }

    /// <summary>True when areas measured in this CRS are true ellipsoidal areas (LAEA, Albers…).</summary>
    public static bool IsEqualArea(CrsRef crs)
    {
        var resolved = ResolvedCrs.Resolve(crs, crs?.ToString() ?? "crs");
        if (resolved.ClosedForm is not null) return resolved.ClosedForm.IsEqualArea;
        if (resolved.ProjNet is ProjNet.CoordinateSystems.ProjectedCoordinateSystem p)
        {
            string method = p.Projection.ClassName.ToLowerInvariant();
            return method.Contains("equal_area", StringComparison.Ordinal)
                   || method.Contains("equal area", StringComparison.Ordinal)
                   || method.Contains("albers", StringComparison.Ordinal);
        }
        return false;
    }

    /// <summary>Farthest a study may lie from the centre of the CRS areas are measured in, in degrees of arc.</summary>
    public const double MaxDistanceFromCentre = 50;

    /// <summary>
    /// Refuses a CRS whose centre is far from the study (<c>--crs LAEA:-175.5,-45</c> on a French
    /// study: France sits at its antipode, where the projection tears): beyond
    /// <see cref="MaxDistanceFromCentre"/>° of arc from the centre, shapes are so stretched that the
    /// overlay's straight edges no longer follow the boundaries and areas come out wrong.
    /// </summary>
    /// <param name="crs">The CRS chosen by <see cref="Choose"/>.</param>
    /// <param name="lonLatBounds">The study's extent in WGS 84 longitude/latitude.</param>
    /// <param name="source">Named in errors (the crs setting).</param>
    public static void CheckCentre(CrsRef crs, Envelope lonLatBounds, string source = "crs")
    {
        ArgumentNullException.ThrowIfNull(crs);
        ArgumentNullException.ThrowIfNull(lonLatBounds);
        if (lonLatBounds.IsNull || Centre(crs) is not var (lon0, lat0)) return;
        double farthest = 0;
        foreach (var (x, y) in new[] { (lonLatBounds.MinX, lonLatBounds.MinY), (lonLatBounds.MinX, lonLatBounds.MaxY),
                     (lonLatBounds.MaxX, lonLatBounds.MinY), (lonLatBounds.MaxX, lonLatBounds.MaxY), (lonLatBounds.Centre.X, lonLatBounds.Centre.Y) })
            farthest = Math.Max(farthest, Arc(lon0, lat0, x, y));
        if (farthest <= MaxDistanceFromCentre) return;
        string d = farthest.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        string c = lonLatBounds.Centre.X.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + ","
            + lonLatBounds.Centre.Y.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        throw new CepGeoInputException(source, null, new Phrase(
            $"le centre du CRS {crs} est à {d}° de l'étude (plus de {MaxDistanceFromCentre:0}°) : les surfaces y seraient faussées ; "
            + $"laissez \"auto\" ou centrez-le sur l'étude (LAEA:{c})",
            $"the centre of the CRS {crs} is {d}° away from the study (more than {MaxDistanceFromCentre:0}°): areas would be wrong there; "
            + $"use \"auto\" or centre it on the study (LAEA:{c})"));
    }

    /// <summary>The centre (lon, lat) of the CRSs CepGeo measures in; null for a CRS given by WKT.</summary>
    private static (double Lon, double Lat)? Centre(CrsRef crs)
    {
        string? code = KnownCrs.NormaliseCode(crs.Code);
        if (code is null) return null;
        if (KnownCrs.TryParseLaea(code, out double lon0, out double lat0)) return (lon0, lat0);
        return code switch
        {
            KnownCrs.LaeaEurope => (10, 52),
            KnownCrs.Lambert93 => (3, 46.5),
            _ => null,
        };
    }

    /// <summary>Great-circle distance between two lon/lat points, in degrees of arc.</summary>
    private static double Arc(double lon1, double lat1, double lon2, double lat2)
    {
        double r = Math.PI / 180;
        double cos = Math.Sin(lat1 * r) * Math.Sin(lat2 * r) + Math.Cos(lat1 * r) * Math.Cos(lat2 * r) * Math.Cos((lon2 - lon1) * r);
        return Math.Acos(Math.Clamp(cos, -1, 1)) / r;
    }

    private static CepGeoInputException Problem(string source, string french, string english) => new(source, null, new Phrase(french, english));
}
