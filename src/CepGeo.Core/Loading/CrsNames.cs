using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>
/// Recognises the ways files name a CRS: the legacy GeoJSON <c>crs</c> member (EPSG codes, OGC
/// URNs and URLs, CRS84) and the WKT of a Shapefile's .prj. Everything comes out as <c>EPSG:n</c>.
/// </summary>
internal static partial class CrsNames
{
    public const string Wgs84 = "EPSG:4326";

    private const string Accepted =
        "use EPSG:n, urn:ogc:def:crs:EPSG::n, http://www.opengis.net/def/crs/EPSG/0/n or urn:ogc:def:crs:OGC:1.3:CRS84";

    private const string AcceptedFr =
        "écrivez EPSG:n, urn:ogc:def:crs:EPSG::n, http://www.opengis.net/def/crs/EPSG/0/n ou urn:ogc:def:crs:OGC:1.3:CRS84";

    /// <summary>The CRS of a legacy GeoJSON <c>crs</c> member, or null when it is <c>null</c> (no CRS given).</summary>
    /// <exception cref="CepGeoInputException">A crs member CepGeo cannot honour.</exception>
    public static CrsRef? FromGeoJsonMember(ReadOnlyMemory<byte> json, string source)
    {
        using var doc = JsonDocument.Parse(json);
        var crs = doc.RootElement;
        if (crs.ValueKind == JsonValueKind.Null)
            return null;
        // Not in any GeoJSON version, but written by hand often enough and unambiguous.
        if (crs.ValueKind == JsonValueKind.String)
            return Named(crs.GetString()!, source);
        if (crs.ValueKind != JsonValueKind.Object)
            throw new CepGeoInputException(source, null, new Phrase($"le membre crs doit être un objet, pas {crs.GetRawText()}",
                $"the crs member must be an object, not {crs.GetRawText()}"));

        string? type = crs.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        crs.TryGetProperty("properties", out var props);
        if (props.ValueKind != JsonValueKind.Object)
            throw new CepGeoInputException(source, null, new Phrase($"membre crs sans properties : {crs.GetRawText()} ; {AcceptedFr}",
                $"crs member without properties: {crs.GetRawText()}; {Accepted}"));

        switch (type?.ToUpperInvariant())
        {
            case "NAME" when props.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                return Named(name.GetString()!, source);
            // The 2008 GeoJSON draft also allowed {"type": "EPSG", "properties": {"code": 2154}}.
            case "EPSG" when props.TryGetProperty("code", out var number):
                string raw = number.ValueKind == JsonValueKind.String ? number.GetString()! : number.GetRawText();
                return ToCode("EPSG:" + raw) is { } epsg
                    ? new CrsRef(epsg, null, Declared: true)
                    : throw new CepGeoInputException(source, null, new Phrase($"le code crs {raw} n'est pas un code EPSG", $"crs code {raw} is not an EPSG code"));
            default:
                throw new CepGeoInputException(source, null, new Phrase(
                    $"membre crs de type \"{type}\" non pris en charge (SCR lié ou sans nom) : {crs.GetRawText()} ; {AcceptedFr}",
                    $"crs member of type \"{type}\" is not supported (linked or unnamed CRS): {crs.GetRawText()}; {Accepted}"));
        }
    }

    private static CrsRef Named(string text, string source) =>
        ToCode(text) is { } code
            ? new CrsRef(code, null, Declared: true)
            : throw new CepGeoInputException(source, null, new Phrase($"crs \"{text}\" n'est pas un nom de SCR que CepGeo comprend ; {AcceptedFr}",
                $"crs \"{text}\" is not a CRS name CepGeo understands; {Accepted}"));

    /// <summary><c>EPSG:n</c> for any spelling CepGeo accepts, CRS84 as EPSG:4326; null when not recognised.</summary>
    public static string? ToCode(string name)
    {
        var text = name.Trim();
        if (Crs84().IsMatch(text))
            return Wgs84;
        var match = EpsgCode().Match(text);
        if (!match.Success)
            return null;
        return int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? "EPSG:" + n.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// The EPSG code of a .prj WKT when it can be told for sure: the root AUTHORITY/ID, else the name
    /// of the few CRSs French data comes in (ESRI writes .prj files without authority).
    /// </summary>
    public static string? FromWkt(string wkt)
    {
        var text = wkt.Trim();
        var root = RootAuthority().Match(text);
        if (root.Success)
            return "EPSG:" + root.Groups["n"].Value;

        var name = RootName().Match(text);
        if (!name.Success)
            return null;
        string kind = name.Groups["kind"].Value.ToUpperInvariant();
        string crsName = name.Groups["name"].Value.Replace(' ', '_').Replace('-', '_').ToUpperInvariant();
        bool projected = kind is "PROJCS" or "PROJCRS" or "PROJECTEDCRS";
        if (projected)
        {
            if (crsName.Contains("LAMBERT_93", StringComparison.Ordinal)) return "EPSG:2154";
            if (crsName.Contains("LAEA", StringComparison.Ordinal) && crsName.Contains("ETRS", StringComparison.Ordinal)) return "EPSG:3035";
            if (crsName.Contains("PSEUDO_MERCATOR", StringComparison.Ordinal)
                || crsName.Contains("WEB_MERCATOR", StringComparison.Ordinal)
                || crsName.Contains("POPULAR_VISUALISATION", StringComparison.Ordinal)) return "EPSG:3857";
            return null;
        }
        return crsName is "GCS_WGS_1984" or "WGS_84" or "WGS84" or "WGS_1984" ? Wgs84 : null;
    }

    // urn:ogc:def:crs:OGC:1.3:CRS84, urn:ogc:def:crs:OGC::CRS84, OGC:CRS84, CRS84, .../def/crs/OGC/1.3/CRS84
    [GeneratedRegex(@"^(?:(?:urn:ogc:def:crs:OGC:[0-9.]*:)|(?:OGC:)|(?:https?://www\.opengis\.net/def/crs/OGC/[0-9.]+/))?CRS:?84$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Crs84();

    // EPSG:n, urn:ogc:def:crs:EPSG::n, urn:ogc:def:crs:EPSG:6.6:n, http(s)://www.opengis.net/def/crs/EPSG/0/n
    [GeneratedRegex(@"^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)(?<n>[0-9]{1,9})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EpsgCode();

    // WKT1 ends with the root's AUTHORITY["EPSG","2154"]]; WKT2 with ID["EPSG",2154]].
    [GeneratedRegex(@"(?:AUTHORITY|ID)\[\s*""EPSG""\s*,\s*""?(?<n>[0-9]{1,9})""?\s*\]\s*\]\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RootAuthority();

    [GeneratedRegex(@"^(?<kind>PROJCS|GEOGCS|PROJCRS|PROJECTEDCRS|GEOGCRS|GEODCRS|GEOGRAPHICCRS)\[\s*""(?<name>[^""]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RootName();
}
