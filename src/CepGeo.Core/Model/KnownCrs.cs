using System.Globalization;
using System.Text.RegularExpressions;

namespace CepGeo.Core.Model;

/// <summary>
/// The coordinate reference systems CepGeo knows by code, with their WKT embedded (ProjNet 2.0 has no
/// EPSG database), and the normalisation of the many spellings of a code found in files.
/// </summary>
public static partial class KnownCrs
{
    /// <summary>WGS 84 longitude/latitude in degrees (x is longitude, as in RFC 7946).</summary>
    public const string Wgs84 = "EPSG:4326";

    /// <summary>RGF93 / Lambert-93: the French official projection. Conformal, not equal-area.</summary>
    public const string Lambert93 = "EPSG:2154";

    /// <summary>ETRS89 / LAEA Europe: equal-area, CepGeo's default for European studies.</summary>
    public const string LaeaEurope = "EPSG:3035";

    /// <summary>WGS 84 / Pseudo-Mercator, for web maps. Neither conformal on the ellipsoid nor equal-area.</summary>
    public const string WebMercator = "EPSG:3857";

    /// <summary>Prefix of the codes of automatic LAEA projections, <c>LAEA:lon0,lat0</c> (degrees).</summary>
    public const string LaeaPrefix = "LAEA:";

    /// <summary>How far from a pole an automatic LAEA centre may lie (the polar aspect has other formulas).</summary>
    private const double MaxLaeaCentreLatitude = 89.0;

    private const string Wgs84Wkt =
        """GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]""";

    private const string Lambert93Wkt =
        """PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6171"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4171"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","2154"]]""";

    private const string LaeaEuropeWkt =
        """PROJCS["ETRS89 / LAEA Europe",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6258"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4258"]],PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["latitude_of_center",52],PARAMETER["longitude_of_center",10],PARAMETER["false_easting",4321000],PARAMETER["false_northing",3210000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","3035"]]""";

    // ProjNet 2.0 knows this method as "Popular Visualisation Pseudo-Mercator" (with the hyphen).
    private const string WebMercatorWkt =
        """PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Popular Visualisation Pseudo-Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","3857"]]""";

    /// <summary>The four codes with embedded WKT.</summary>
    public static IReadOnlyList<string> Codes { get; } = [Wgs84, Lambert93, LaeaEurope, WebMercator];

    /// <summary>The embedded WKT of a known code (any spelling <see cref="NormaliseCode"/> accepts), else null.</summary>
    public static string? Wkt(string code)
    {
        string? normalised = NormaliseCode(code);
        if (normalised is not null && TryParseLaea(normalised, out double lon0, out double lat0))
            return LaeaWkt(lon0, lat0);
        return normalised switch
        {
            Wgs84 => Wgs84Wkt,
            Lambert93 => Lambert93Wkt,
            LaeaEurope => LaeaEuropeWkt,
            WebMercator => WebMercatorWkt,
            _ => null,
        };
    }

    /// <summary>True when CepGeo can use this code without WKT.</summary>
    public static bool IsKnown(string code) => Wkt(code) is not null;

    /// <summary>A known CRS by code, with its WKT. Throws <see cref="CepGeoInputException"/> for other codes.</summary>
    public static CrsRef Get(string code, bool declared = true)
    {
        string? wkt = Wkt(code);
        if (wkt is null)
            throw new CepGeoInputException(code, null, new Phrase(
                $"code de SCR inconnu ; CepGeo connaît {string.Join(", ", Codes)} et {LaeaPrefix}lon,lat",
                $"unknown CRS code; CepGeo knows {string.Join(", ", Codes)} and {LaeaPrefix}lon,lat"));
        return new CrsRef(NormaliseCode(code), wkt, declared);
    }

    /// <summary>
    /// A Lambert azimuthal equal-area projection on WGS 84 centred on (lon0, lat0), false origin (0, 0).
    /// The centre is rounded to 0.001° so that its code is short and stable, and kept within ±89° of
    /// latitude (areas stay exact whatever the centre; only shapes depend on it).
    /// </summary>
    public static CrsRef Laea(double lon0, double lat0, bool declared = false)
    {
        if (!double.IsFinite(lon0) || !double.IsFinite(lat0))
            throw new ArgumentOutOfRangeException(nameof(lon0), $"LAEA centre ({lon0}, {lat0}) is not finite.");
        double lon = Math.Round(((lon0 + 180) % 360 + 360) % 360 - 180, 3);
        double lat = Math.Round(Math.Clamp(lat0, -MaxLaeaCentreLatitude, MaxLaeaCentreLatitude), 3);
        if (lon == 0) lon = 0; // no "-0" in codes
        if (lat == 0) lat = 0;
        string code = LaeaPrefix + Format(lon) + "," + Format(lat);
        return new CrsRef(code, LaeaWkt(lon, lat), declared);
    }

    /// <summary>
    /// The canonical spelling (<c>EPSG:2154</c>) of a CRS code as found in files and study settings:
    /// <c>epsg:2154</c>, <c>urn:ogc:def:crs:EPSG::2154</c>, <c>http://www.opengis.net/def/crs/EPSG/0/2154</c>;
    /// <c>CRS84</c> in its forms is <c>EPSG:4326</c> (both mean lon/lat here: GeoJSON puts longitude first
    /// whatever the code); the usual aliases of Web Mercator (900913, 3785, 102100, 102113) are
    /// <c>EPSG:3857</c>; <c>LAEA:lon,lat</c> is kept. Null when the text is not a CRS code at all.
    /// Unknown EPSG numbers are normalised too; whether CepGeo knows them is <see cref="IsKnown"/>.
    /// </summary>
    public static string? NormaliseCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        string c = code.Trim();
        if (Crs84().IsMatch(c)) return Wgs84;
        if (TryParseLaea(c, out double lon0, out double lat0))
            return LaeaPrefix + Format(lon0) + "," + Format(lat0);
        var m = EpsgCode().Match(c);
        if (!m.Success) return null;
        string digits = m.Groups["n"].Value.TrimStart('0');
        return digits switch
        {
            "" => null,
            "900913" or "3785" or "102100" or "102113" => WebMercator,
            _ => "EPSG:" + digits,
        };
    }

    internal static bool TryParseLaea(string code, out double lon0, out double lat0)
    {
        lon0 = lat0 = double.NaN;
        if (!code.StartsWith(LaeaPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        string[] parts = code[LaeaPrefix.Length..].Split(',');
        return parts.Length == 2
            && double.TryParse(parts[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out lon0)
            && double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out lat0)
            && Math.Abs(lon0) <= 180 && Math.Abs(lat0) < 90;
    }

    private static string LaeaWkt(double lon0, double lat0) =>
        $"""PROJCS["CepGeo LAEA centred on {Format(lon0)},{Format(lat0)}",{Wgs84Wkt},PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["latitude_of_center",{Format(lat0)}],PARAMETER["longitude_of_center",{Format(lon0)}],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]]]""";

    private static string Format(double degrees) => degrees.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:(?:urn:ogc:def:crs:)?OGC:(?:1\.3)?:?CRS84|CRS84|https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)$", RegexOptions.IgnoreCase)]
    private static partial Regex Crs84();

    [GeneratedRegex(@"^(?:EPSG\s*:\s*|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)(?<n>[0-9]{1,9})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();
}
