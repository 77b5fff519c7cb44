using System.Globalization;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading;

/// <summary>
/// An operator's sites (spec §9). A point layer is read by the layer readers with
/// <see cref="LayerOptions.Points"/> (ids, skipped features, CRS checks as for zones); a CSV gives
/// longitude and latitude (WGS84) or a commune code per row.
/// </summary>
public static class SiteReader
{
    private const int ListedAtMost = 10;

    /// <summary>The sites of a point layer read with <see cref="LayerOptions.Points"/>.</summary>
    public static SiteLayer FromLayer(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var sites = layer.Features.Select(f =>
        {
            var p = (Point)f.Geometry;
            return new Site(f.Id, f.Name, p.X, p.Y, null, f.Id);
        }).ToList();
        return new SiteLayer(layer.Source, sites, layer.Crs, layer.Report);
    }

    /// <summary>Reads a CSV of sites: one row per site, an id column, and lon/lat or a commune code.</summary>
    /// <param name="source">The file name, used in every message.</param>
    /// <exception cref="CepGeoInputException">A missing column, an empty or repeated id, a coordinate that is
    /// not a number or lies outside longitude/latitude range, an empty commune code, text that is not UTF-8.</exception>
    public static SiteLayer ReadCsv(Stream stream, string source, SitesSpec spec)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(spec);
        var table = CsvTable.Read(stream, source);
        int id = table.Column(spec.IdField ?? throw new CepGeoInputException(source, null, new Phrase(
            "aucune colonne d'identifiant nommée (le \"id\" des lieux d'accueil dans l'étude)", "no id column named (the sites' \"id\" in the study)")), "sites.id");
        int name = spec.NameField is null ? -1 : table.Column(spec.NameField, "sites.name");
        int commune = spec.CommuneField is null ? -1 : table.Column(spec.CommuneField, "sites.commune");
        int lon = -1, lat = -1;
        if (commune < 0)
        {
            lon = table.Column(spec.LonField ?? "lon", "sites.lon");
            lat = table.Column(spec.LatField ?? "lat", "sites.lat");
        }
        if (table.Rows.Count == 0)
            throw new CepGeoInputException(source, null, new Phrase("aucun lieu d'accueil : le fichier a une ligne d'en-tête et aucune ligne de données",
                "no sites: the file has a header row and no data row"));

        var sites = new List<Site>(table.Rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new List<string>();
        foreach (var row in table.Rows)
        {
            string where = "line " + row.Line.ToString(CultureInfo.InvariantCulture);
            string siteId = row.Fields[id].Trim();
            if (siteId.Length == 0)
                throw new CepGeoInputException(source, where, new Phrase($"identifiant vide (colonne \"{table.Header[id]}\")", $"empty id (column \"{table.Header[id]}\")"));
            string siteName = name < 0 ? siteId : row.Fields[name].Trim() is { Length: > 0 } n ? n : siteId;
            if ((siteId + siteName).Contains('\uFFFD', StringComparison.Ordinal))
                throw new CepGeoInputException(source, where, new Phrase("texte qui n'est pas de l'UTF-8 (Latin-1 ou Windows-1252 ?) : enregistrez le fichier en UTF-8",
                    "text that is not UTF-8 (Latin-1 or Windows-1252?): save the file as UTF-8"));
            if (!seen.TryAdd(siteId, row.Line))
                repeated.Add($"\"{siteId}\" (lines {seen[siteId]}, {row.Line})");
            if (commune >= 0)
            {
                string code = row.Fields[commune].Trim();
                if (code.Length == 0)
                    throw new CepGeoInputException(source, $"{siteId} ({where})", new Phrase($"code commune vide (colonne \"{table.Header[commune]}\")",
                        $"empty commune code (column \"{table.Header[commune]}\")"));
                sites.Add(new Site(siteId, siteName, double.NaN, double.NaN, code, where));
                continue;
            }
            double x = Coordinate(row.Fields[lon], table, lon, source, siteId, where);
            double y = Coordinate(row.Fields[lat], table, lat, source, siteId, where);
            if (x is < -180 or > 180 || y is < -90 or > 90)
            {
                bool swapped = x is >= -90 and <= 90 && y is >= -180 and <= 180;
                string hint = swapped ? "; longitude and latitude look swapped" : "; they look projected, and a CSV gives WGS84 degrees";
                string hintFr = swapped ? " ; longitude et latitude semblent inversées" : " ; elles semblent projetées, et un CSV donne des degrés WGS84";
                throw new CepGeoInputException(source, $"{siteId} ({where})", new Phrase(
                    string.Create(CultureInfo.InvariantCulture, $"lon {x}, lat {y} sort des bornes longitude/latitude (±180, ±90){hintFr}"),
                    string.Create(CultureInfo.InvariantCulture, $"lon {x}, lat {y} is outside the longitude/latitude range (±180, ±90){hint}")));
            }
            sites.Add(new Site(siteId, siteName, x, y, null, where));
        }
        if (repeated.Count > 0)
            throw new CepGeoInputException(source, null, new Phrase(
                $"{repeated.Count} identifiant(s) employé(s) plusieurs fois (colonne \"{table.Header[id]}\") : "
                + string.Join(", ", repeated.Take(ListedAtMost)) + (repeated.Count > ListedAtMost ? $" et {repeated.Count - ListedAtMost} autres" : "")
                + " ; les identifiants doivent être uniques",
                $"{repeated.Count} id(s) used more than once (column \"{table.Header[id]}\"): "
                + string.Join(", ", repeated.Take(ListedAtMost)) + (repeated.Count > ListedAtMost ? $" and {repeated.Count - ListedAtMost} more" : "")
                + "; ids must be unique"));
        return new SiteLayer(source, sites, CrsRef.Wgs84Default, table.EncodingName == "UTF-8" ? [] : [LoadIssue.ReadAs(source, table.EncodingName)]);
    }

    /// <summary>A decimal number, with <c>.</c> or (in a <c>;</c> file, as French spreadsheets write) <c>,</c>.</summary>
    private static double Coordinate(string text, CsvTable table, int column, string source, string id, string where)
    {
        string t = text.Trim();
        if (table.Separator == ';') t = t.Replace(',', '.');
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            return v;
        throw new CepGeoInputException(source, $"{id} ({where})", new Phrase($"\"{text}\" dans la colonne \"{table.Header[column]}\" n'est pas un nombre",
            $"\"{text}\" in column \"{table.Header[column]}\" is not a number"));
    }
}
