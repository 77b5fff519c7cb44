using System.Globalization;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading;

/// <summary>
/// The loading rules of spec §2, the same for every format: which features are kept, their ids
/// and names, coordinates that cannot be used, and whether the CRS is believable.
/// </summary>
internal static class LayerAssembler
{
    private const int ListedAtMost = 10;

    // Projected CRSs French data comes in; their coordinates are never all within ±180/±90.
    private static readonly HashSet<string> KnownProjected =
        ["EPSG:2154", "EPSG:3035", "EPSG:3857", "EPSG:27572", "EPSG:32630", "EPSG:32631", "EPSG:32632"];

    public static Layer Assemble(LayerOptions options, RawLayer raw)
    {
        string source = options.Source;
        var report = new List<LoadIssue>(raw.Notes);

        var kept = options.Points ? KeepPoints(options, raw.Features, report) : KeepPolygons(options, raw.Features, report);
        if (kept.Count == 0)
            throw new CepGeoInputException(source, null, NoPolygonProblem(raw.Features.Count, report, options.Points));

        var ids = ResolveIds(options, kept);
        var features = new List<Feature>(kept.Count);
        int withZ = 0, withM = 0;
        for (int i = 0; i < kept.Count; i++)
        {
            var (rawFeature, geometry) = kept[i];
            string label = $"{ids[i]} ({rawFeature.Where})";
            var notes = rawFeature.Notes;
            if (notes.BadNumber is { } bad)
                throw new CepGeoInputException(source, label, new Phrase(
                    $"la coordonnée {bad} n'est pas un nombre fini (NaN, Infinity ou démesurée) : corrigez ou retirez cette entité",
                    $"coordinate {bad} is not a finite number (NaN, Infinity or absurdly large): fix or remove this feature"));
            if (notes.HadZ) withZ++;
            if (notes.HadM) withM++;
            ReportRingFixes(source, ids[i], notes, geometry, report);
            features.Add(new Feature(ids[i], ResolveName(options, rawFeature, ids[i], label), geometry,
                options.KeepAttributes ? rawFeature.Properties : AttributeValues.None));
        }

        if (withZ + withM > 0)
        {
            string what = withM > 0 ? "Z and M (measure) values" : "Z values";
            string quoi = withM > 0 ? "valeurs Z et M (mesure)" : "valeurs Z";
            string reason = $"{what} dropped on {Math.Max(withZ, withM)} feature(s): CepGeo works in 2D";
            report.Add(new LoadIssue(source, null, LoadIssueKind.DroppedZm, reason,
                Words: new Phrase($"{quoi} retirées sur {Math.Max(withZ, withM)} entité(s) : CepGeo travaille en 2D", reason)));
        }

        var crs = CheckCrs(source, StudyCrs(source, raw, options.Crs, report), features, report);
        return new Layer(source, features, crs, report);
    }

    /// <summary>Polygons and MultiPolygons kept; the polygons of a GeometryCollection kept; the rest reported as skipped.</summary>
    private static List<(RawFeature Raw, Geometry Geometry)> KeepPolygons(LayerOptions options, IReadOnlyList<RawFeature> all, List<LoadIssue> report)
    {
        string source = options.Source;
        var kept = new List<(RawFeature, Geometry)>(all.Count);
        foreach (var feature in all)
        {
            var geometry = feature.Geometry;
            Phrase? skip = geometry switch
            {
                null when feature.Notes.TypeName is { } type => new($"type de géométrie inconnu \"{type}\"", $"unknown geometry type \"{type}\""),
                null => new("pas de géométrie (null)", "no geometry (null)"),
                { IsEmpty: true } => new($"{geometry.GeometryType} vide", $"empty {geometry.GeometryType}"),
                { OgcGeometryType: OgcGeometryType.Polygon or OgcGeometryType.MultiPolygon or OgcGeometryType.GeometryCollection } => null,
                _ => new($"{geometry.GeometryType} n'est pas un polygone", $"{geometry.GeometryType} is not a polygon"),
            };
            // MultiPolygon, MultiLineString and MultiPoint are GeometryCollections too in NTS.
            if (skip is null && geometry is GeometryCollection { OgcGeometryType: OgcGeometryType.GeometryCollection } collection)
                (geometry, skip) = PolygonsOf(source, ReportedId(options, feature), collection, report);

            if (skip is { } why)
                report.Add(new LoadIssue(source, ReportedId(options, feature), LoadIssueKind.Skipped, why.En, Words: why));
            else
                kept.Add((feature, geometry!));
        }
        return kept;
    }

    /// <summary>Sites (spec §9): Points kept, a MultiPoint of one point read as that point; the rest reported as skipped.</summary>
    private static List<(RawFeature Raw, Geometry Geometry)> KeepPoints(LayerOptions options, IReadOnlyList<RawFeature> all, List<LoadIssue> report)
    {
        var kept = new List<(RawFeature, Geometry)>(all.Count);
        foreach (var feature in all)
        {
            var geometry = feature.Geometry;
            if (geometry is MultiPoint { NumGeometries: 1 } one) geometry = one.GetGeometryN(0);
            Phrase? skip = geometry switch
            {
                null when feature.Notes.TypeName is { } type => new($"type de géométrie inconnu \"{type}\"", $"unknown geometry type \"{type}\""),
                null => new("pas de géométrie (null)", "no geometry (null)"),
                { IsEmpty: true } => new($"{geometry.GeometryType} vide", $"empty {geometry.GeometryType}"),
                Point => null,
                MultiPoint => new($"MultiPoint de {geometry.NumGeometries} points : un lieu d'accueil est un point (donnez-en un par entité)",
                    $"MultiPoint of {geometry.NumGeometries} points: a site is one point (give each its own feature)"),
                _ => new($"{geometry.GeometryType} n'est pas un point", $"{geometry.GeometryType} is not a point"),
            };
            if (skip is { } why)
                report.Add(new LoadIssue(options.Source, ReportedId(options, feature), LoadIssueKind.Skipped, why.En, Words: why));
            else
                kept.Add((feature, geometry!));
        }
        return kept;
    }

    /// <summary>
    /// The id a skipped feature is reported under: its id when it has one, else its place in the
    /// file. Id rules are enforced on kept features only: a skipped one never reaches the analysis.
    /// </summary>
    private static string ReportedId(LayerOptions options, RawFeature feature)
    {
        string? id = options.IdField is { } field && feature.Properties.TryGetValue(field, out var value)
            ? AttributeValues.AsId(value)
            : feature.FileId;
        return string.IsNullOrWhiteSpace(id) ? feature.Where : id;
    }

    private static (Geometry? Geometry, Phrase? Skip) PolygonsOf(string source, string featureId, GeometryCollection collection, List<LoadIssue> report)
    {
        var polygons = new List<Polygon>();
        var others = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Flatten(collection, polygons, others);
        string dropped = string.Join(", ", others.Select(o => $"{o.Value} {o.Key}"));
        if (polygons.Count == 0)
            return (null, new($"GeometryCollection sans polygone ({(dropped.Length > 0 ? dropped : "vide")})",
                $"GeometryCollection without polygons ({(dropped.Length > 0 ? dropped : "empty")})"));

        // The polygons may overlap; LayerRepair's GeometryFixer unions them into a valid MultiPolygon.
        string reason = $"GeometryCollection read as a MultiPolygon of its {polygons.Count} polygon(s)" + (dropped.Length > 0 ? $"; dropped {dropped}" : "");
        report.Add(new LoadIssue(source, featureId, LoadIssueKind.Note, reason, Words: new Phrase(
            $"GeometryCollection lue comme un MultiPolygon de ses {polygons.Count} polygone(s)" + (dropped.Length > 0 ? $" ; retirés : {dropped}" : ""), reason)));
        return (collection.Factory.CreateMultiPolygon([.. polygons]), null);
    }

    private static void Flatten(Geometry geometry, List<Polygon> polygons, SortedDictionary<string, int> others)
    {
        for (int i = 0; i < geometry.NumGeometries; i++)
        {
            var part = geometry.GetGeometryN(i);
            if (part is Polygon polygon)
            {
                if (!polygon.IsEmpty) polygons.Add(polygon);
            }
            else if (part is GeometryCollection nested && !ReferenceEquals(nested, geometry))
            {
                Flatten(nested, polygons, others);
            }
            else if (!part.IsEmpty)
            {
                others[part.GeometryType] = others.GetValueOrDefault(part.GeometryType) + 1;
            }
        }
    }

    private static Phrase NoPolygonProblem(int total, List<LoadIssue> report, bool points)
    {
        if (total == 0)
            return new("aucune entité : la couche est vide", "no features: the layer is empty");
        var skipped = report.Where(r => r.Kind == LoadIssueKind.Skipped).ToList();
        string Reasons(bool french) => string.Join("; ", skipped
            .GroupBy(r => r.Reason.StartsWith("GeometryCollection", StringComparison.Ordinal)
                ? (french ? "GeometryCollection sans polygone" : "GeometryCollection without polygons")
                : r.Words?.In(french) ?? r.Reason)
            .Select(g => $"{g.Count()} × {g.Key}"));
        return new($"aucune entité {(points ? "ponctuelle" : "polygonale")} : les {total} sont ignorées ({Reasons(true)})",
            $"no {(points ? "point" : "polygon")} features: all {total} skipped ({Reasons(false)})");
    }

    /// <summary>Configured property, else the file's own id; empty and duplicate ids are an error.</summary>
    private static string[] ResolveIds(LayerOptions options, List<(RawFeature Raw, Geometry Geometry)> kept)
    {
        string source = options.Source;
        var ids = new string[kept.Count];
        var empty = new List<string>();
        for (int i = 0; i < kept.Count; i++)
        {
            var feature = kept[i].Raw;
            string? id;
            if (options.IdField is { } field)
            {
                if (!feature.Properties.TryGetValue(field, out var value))
                    throw new CepGeoInputException(source, feature.Where, new Phrase(
                        $"n'a pas de propriété \"{field}\" (l'identifiant configuré){Available(feature, true)}",
                        $"has no property \"{field}\" (the configured id){Available(feature)}"));
                id = AttributeValues.AsId(value);
            }
            else
            {
                id = feature.FileId;
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                if (options.IdsOptional && options.IdField is null)
                    id = "#" + (i + 1).ToString(CultureInfo.InvariantCulture);
                else
                    empty.Add(feature.Where);
            }
            ids[i] = id ?? "";
        }

        if (empty.Count == kept.Count && options.IdField is null)
            throw new CepGeoInputException(source, null, new Phrase(
                $"les entités n'ont pas d'identifiant : nommez la propriété qui les identifie (le \"id\" de la couche dans l'étude){Available(kept[0].Raw, true)}",
                $"the features have no id: name the property that identifies them (the layer's \"id\" in the study){Available(kept[0].Raw)}"));
        if (empty.Count > 0)
            throw new CepGeoInputException(source, null, new Phrase(
                $"{empty.Count} entité(s) à l'identifiant vide ({IdWord(options, true)}) : {ListSome(empty, true)}",
                $"{empty.Count} feature(s) with an empty id ({IdWord(options)}): {ListSome(empty)}"));

        // Checked with a set first; the groups that name the duplicates only when there are some
        // (grouping every id of the national communes took longer than reading them).
        var seen = new HashSet<string>(ids.Length, StringComparer.Ordinal);
        bool unique = true;
        foreach (string id in ids) unique &= seen.Add(id);
        if (unique) return ids;
        var duplicates = ids.Select((id, i) => (id, where: kept[i].Raw.Where))
            .GroupBy(x => x.id, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToList();
        if (duplicates.Count > 0)
        {
            var listed = duplicates.Select(g => $"\"{g.Key}\" ×{g.Count()} ({string.Join(", ", g.Take(3).Select(x => x.where))})").ToList();
            throw new CepGeoInputException(source, null, new Phrase(
                $"{duplicates.Count} identifiant(s) employé(s) plusieurs fois ({IdWord(options, true)}) : {ListSome(listed, true)}"
                + " ; les identifiants doivent être uniques (la propriété d'identifiant est-elle la bonne ?)",
                $"{duplicates.Count} id(s) used more than once ({IdWord(options)}): {ListSome(listed)}"
                + "; ids must be unique (is the id property the right one?)"));
        }
        return ids;
    }

    private static string IdWord(LayerOptions options, bool french = false) => options.IdField is { } f
        ? (french ? $"propriété \"{f}\"" : $"property \"{f}\"")
        : (french ? "l'identifiant propre des entités" : "the features' own id");

    private static string ResolveName(LayerOptions options, RawFeature feature, string id, string label)
    {
        if (options.NameField is not { } field)
            return id;
        if (!feature.Properties.TryGetValue(field, out var value))
            throw new CepGeoInputException(options.Source, label, new Phrase(
                $"n'a pas de propriété \"{field}\" (le nom configuré){Available(feature, true)}",
                $"has no property \"{field}\" (the configured name){Available(feature)}"));
        return AttributeValues.AsId(value) is { Length: > 0 } name ? name : id;
    }

    private static string Available(RawFeature feature, bool french = false) =>
        feature.Properties.Count == 0
            ? (french ? " ; les entités n'ont aucune propriété" : "; the features have no properties")
            : (french ? " ; propriétés trouvées : " : "; properties found: ") + string.Join(", ", feature.Properties.Keys.Take(20));

    private static string ListSome(IReadOnlyList<string> items, bool french = false) =>
        string.Join(", ", items.Take(ListedAtMost))
        + (items.Count > ListedAtMost ? (french ? $" et {items.Count - ListedAtMost} autres" : $" and {items.Count - ListedAtMost} more") : "");

    /// <summary>Rings the reader had to close or drop are repairs too: listed with their areas.</summary>
    private static void ReportRingFixes(string source, string id, GeometryNotes notes, Geometry geometry, List<LoadIssue> report)
    {
        if (notes.ClosedRings > 0)
        {
            var words = new Phrase($"{notes.ClosedRings} anneau(x) non fermé(s) : fermé(s) en répétant le premier point",
                $"{notes.ClosedRings} ring(s) not closed: closed by repeating the first point");
            report.Add(new LoadIssue(source, id, LoadIssueKind.Repaired, words.En, geometry.Area, geometry.Area, words));
        }
        if (notes.DroppedRings > 0)
        {
            var words = new Phrase($"{notes.DroppedRings} anneau(x) de moins de 3 points retiré(s) (ils n'entourent aucune surface)",
                $"{notes.DroppedRings} ring(s) with fewer than 3 points dropped (they bound no area)");
            report.Add(new LoadIssue(source, id, LoadIssueKind.Repaired, words.En, null, geometry.Area, words));
        }
    }

    /// <summary>
    /// The study's <c>"crs"</c> for a layer whose file declares none (a GeoJSON without a crs member, a
    /// Shapefile without .prj); a file declaring another CRS is an error, not silently overruled.
    /// </summary>
    private static RawLayer StudyCrs(string source, RawLayer raw, string? given, List<LoadIssue> report)
    {
        if (given is null) return raw;
        if (raw.Crs is { Declared: true } declared)
        {
            if (string.Equals(declared.Code, given, StringComparison.OrdinalIgnoreCase)) return raw;
            throw new CepGeoInputException(source, null, new Phrase(
                $"le fichier déclare {declared} mais l'étude lui donne \"crs\": \"{given}\" ; retirez la clé crs de l'étude si le fichier a raison",
                $"the file declares {declared} but the study gives it \"crs\": \"{given}\"; remove the study's crs key if the file is right"));
        }
        report.Add(new LoadIssue(source, null, LoadIssueKind.Note, $"no CRS declared in the file; the study's \"crs\" says {given}",
            Words: new Phrase($"aucun SCR déclaré dans le fichier ; le \"crs\" de l'étude dit {given}", $"no CRS declared in the file; the study's \"crs\" says {given}")));
        return raw with { Crs = new CrsRef(given, null, Declared: true) };
    }

    /// <summary>
    /// The CRS, once the coordinates agree with it: lon/lat values for WGS84, anything else for a
    /// projected CRS. With no CRS at all, lon/lat values are read as WGS84 (and said so).
    /// </summary>
    private static CrsRef CheckCrs(string source, RawLayer raw, List<Feature> features, List<LoadIssue> report)
    {
        // Each geometry's envelope (a pass over its coordinates, then cached) on every core first.
        Parallel.For(0, features.Count, i => _ = features[i].Geometry.EnvelopeInternal);
        var extent = new Envelope();
        foreach (var f in features)
            extent.ExpandToInclude(f.Geometry.EnvelopeInternal);
        bool lonLat = IsLonLat(extent);

        if (raw.Crs is null)
        {
            if (!lonLat)
                throw new CepGeoInputException(source, null, OutOfRange(extent, features, new("aucun SCR n'est déclaré", "no CRS is declared"), raw.CrsAdvice));
            string reason = $"no CRS declared; coordinates lie within longitude/latitude range ({Range(extent)}), read as WGS84 (EPSG:4326)";
            report.Add(new LoadIssue(source, null, LoadIssueKind.Note, reason, Words: new Phrase(
                $"aucun SCR déclaré ; les coordonnées sont dans les bornes longitude/latitude ({Range(extent, true)}), lues en WGS84 (EPSG:4326)", reason)));
            return CrsRef.Wgs84Default;
        }

        if (raw.Crs.Code == CrsNames.Wgs84 && !lonLat)
        {
            Phrase why = raw.Crs.Declared
                ? new("le fichier déclare WGS84 (EPSG:4326)", "the file declares WGS84 (EPSG:4326)")
                : new("aucun SCR n'est déclaré, et GeoJSON (RFC 7946) veut alors dire longitude/latitude WGS84",
                    "no CRS is declared, so GeoJSON (RFC 7946) means WGS84 longitude/latitude");
            throw new CepGeoInputException(source, null, OutOfRange(extent, features, why, raw.CrsAdvice));
        }

        if (raw.Crs.Code is { } code && KnownProjected.Contains(code) && lonLat)
            throw new CepGeoInputException(source, null, new Phrase(
                $"le fichier déclare {code}, un SCR projeté en mètres, mais toutes les coordonnées sont dans les bornes longitude/latitude ({Range(extent, true)}) : "
                + "le SCR déclaré est sans doute faux (on dirait des degrés WGS84)",
                $"the file declares {code}, a projected CRS in metres, but every coordinate lies within longitude/latitude range ({Range(extent)}): "
                + "the declared CRS is probably wrong (these look like WGS84 degrees)"));
        return raw.Crs;
    }

    private static bool IsLonLat(Envelope e) => e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90;

    private static Phrase OutOfRange(Envelope extent, List<Feature> features, Phrase why, Phrase advice)
    {
        var first = features.First(f => !IsLonLat(f.Geometry.EnvelopeInternal));
        bool swapped = extent.MinX >= -90 && extent.MaxX <= 90 && extent.MinY >= -180 && extent.MaxY <= 180;
        string fr = $"les coordonnées sortent des bornes longitude/latitude ({Range(extent, true)} ; d'abord à l'entité {first.Id}) et {why.Fr}. ";
        string en = $"coordinates are outside the longitude/latitude range ({Range(extent)}; first at feature {first.Id}) and {why.En}. ";
        if (swapped)
            return new(fr + "Les axes semblent inversés (latitude d'abord, longitude ensuite) : GeoJSON et CepGeo attendent longitude, latitude. "
                    + "Écrivez x = longitude, y = latitude.",
                en + "The axes look swapped (latitude first, longitude second): GeoJSON and CepGeo expect longitude, latitude. "
                    + "Write x = longitude, y = latitude.");
        return new(fr + $"Ce sont sans doute des coordonnées projetées{GuessProjected(extent, true)} : {advice.Fr}.",
            en + $"They are probably projected coordinates{GuessProjected(extent)}: {advice.En}.");
    }

    private static string GuessProjected(Envelope e, bool french = false)
    {
        var guesses = new List<string>();
        if (e.MinX >= -500_000 && e.MaxX <= 1_500_000 && e.MinY >= 5_900_000 && e.MaxY <= 7_300_000)
            guesses.Add("Lambert-93, EPSG:2154");
        if (e.MinX >= 1_500_000 && e.MaxX <= 7_500_000 && e.MinY >= 1_000_000 && e.MaxY <= 5_500_000)
            guesses.Add("ETRS89-LAEA, EPSG:3035");
        if (e.MinX >= -800_000 && e.MaxX <= 1_200_000 && e.MinY >= 5_000_000 && e.MaxY <= 6_700_000)
            guesses.Add("Web Mercator, EPSG:3857");
        if (french)
            return guesses.Count == 0 ? " (ex. Lambert-93, EPSG:2154)" : $" (elles vont avec {string.Join(" ou ", guesses)})";
        return guesses.Count == 0 ? " (e.g. Lambert-93, EPSG:2154)" : $" (they fit {string.Join(" or ", guesses)})";
    }

    private static string Range(Envelope e, bool french = false) => french
        ? string.Create(CultureInfo.InvariantCulture, $"x de {e.MinX:0.######} à {e.MaxX:0.######}, y de {e.MinY:0.######} à {e.MaxY:0.######}")
        : string.Create(CultureInfo.InvariantCulture, $"x from {e.MinX:0.######} to {e.MaxX:0.######}, y from {e.MinY:0.######} to {e.MaxY:0.######}");
}
