using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>
/// Reads a study file (spec §1). Every problem is a <see cref="CepGeoInputException"/> naming the field,
/// e.g. <c>operators[1].lable: unknown key (did you mean "label"?)</c>; nothing is silently ignored.
/// </summary>
/// <remarks>
/// Hand-written files are expected: comments and trailing commas are accepted, as is a UTF-8 BOM.
/// Layer paths are resolved against the study's folder but not checked for existence (the CLI does that,
/// Core never touches the file system). The <c>crs</c> setting is checked for its form only
/// (<c>auto</c>, <c>EPSG:n</c>, <c>LAEA:lon,lat</c>); whether the code suits areas is decided where the
/// projection is chosen (<c>Projection.EqualArea.Choose</c>).
/// </remarks>
public static partial class StudyReader
{
    /// <summary>Key of the cells layer in outputs; no operator may take it.</summary>
    public const string CellsKey = "cells";

    private static readonly string[] TopKeys = ["$schema", "name", "crs", "sources", "cells", "operators", "weights", "tolerances", "shortNames"];
    private static readonly string[] CellsKeys = ["path", "id", "name", "label", "table", "crs"];
    private static readonly string[] OperatorKeys = ["key", "label", "path", "id", "name", "table", "sites", "crs"];
    private static readonly string[] SitesKeys = ["path", "id", "name", "table", "lon", "lat", "commune", "communeCode"];
    private static readonly string[] MemberListKeys =
        ["key", "label", "members", "communes", "codeField", "memberCode", "zoneCode", "zoneName", "crosswalk", "fromField", "toField", "sites"];
    private static readonly string[] PostGisCellsKeys = ["postgis", "table", "geometry", "id", "name", "label"];
    private static readonly string[] PostGisOperatorKeys = ["key", "postgis", "table", "geometry", "id", "name", "label", "sites"];
    private static readonly string[] WeightsKeys = ["path", "value", "label", "table", "crs"];

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and validates a study.</summary>
    /// <param name="json">The study file's content (UTF-8).</param>
    /// <param name="studySource">What the user called the file (its name or path): the default study name and the source of every error.</param>
    /// <param name="baseDirectory">The study file's folder: layer paths are relative to it.</param>
    public static Study Read(Stream json, string studySource, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(studySource);
        ArgumentNullException.ThrowIfNull(baseDirectory);

        byte[] bytes = ReadAll(json);
        using var document = Parse(bytes, studySource);
        var study = new Reader(studySource, baseDirectory).ReadStudy(document.RootElement);
        string encoding = TextEncodings.Decode(bytes).Encoding;
        return encoding == "UTF-8" ? study : study with { Notes = [LoadIssue.ReadAs(studySource, encoding)] };
    }

    private static byte[] ReadAll(Stream json)
    {
        using var buffer = new MemoryStream();
        json.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static JsonDocument Parse(byte[] bytes, string source)
    {
        // A study file saved as UTF-16 or Windows-1252 (Notepad, an old editor) is read in that
        // encoding, not refused as a bug or read with U+FFFD in place of its accents.
        var (_, encoding, _) = TextEncodings.Detect(bytes);
        if (encoding != "UTF-8")
            bytes = System.Text.Encoding.UTF8.GetBytes(TextEncodings.Decode(bytes).Text);
        int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            return JsonDocument.Parse(bytes.AsMemory(start), ParseOptions);
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long column = CharacterColumn(bytes.AsSpan(start), e.LineNumber ?? 0, e.BytePositionInLine ?? 0) + 1;
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw new CepGeoInputException(source, null, new Phrase(
                string.Create(CultureInfo.InvariantCulture, $"JSON invalide à la ligne {line}, position {column} (une virgule, une accolade ou un guillemet manque ou est en trop ; --lang en donne la raison exacte)"),
                string.Create(CultureInfo.InvariantCulture, $"malformed JSON at line {line}, position {column}: {reason}")), e);
        }
    }

    /// <summary>The parser counts bytes; people count characters (é is two bytes in UTF-8).</summary>
    private static long CharacterColumn(ReadOnlySpan<byte> utf8, long lineIndex, long bytePosition)
    {
        int lineStart = 0;
        for (long l = 0; l < lineIndex && lineStart < utf8.Length; l++)
        {
            int next = utf8[lineStart..].IndexOf((byte)'\n');
            if (next < 0) return bytePosition;
            lineStart += next + 1;
        }
        int length = (int)Math.Min(bytePosition, utf8.Length - lineStart);
        return Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, length));
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^EPSG:([0-9]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgPattern();

    [GeneratedRegex(@"^LAEA:\s*(-?[0-9]+(?:\.[0-9]+)?)\s*,\s*(-?[0-9]+(?:\.[0-9]+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex LaeaPattern();

    /// <summary>Walks the document; the first problem found is thrown.</summary>
    private sealed class Reader(string source, string baseDirectory)
    {
        public Study ReadStudy(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail($"l'étude doit être un objet JSON ({{ … }}), pas {Described(root).Fr}", $"the study must be a JSON object ({{ … }}), not {Describe(root)}");
            var top = Members(root, "", TopKeys);

            string name = OptionalString(top, "", "name") ?? DefaultName();
            string crs = ReadCrs(top);
            string? sources = OptionalString(top, "", "sources");
            var cells = ReadCells(top);
            var (operators, sitesOnly) = ReadOperators(top);
            var weights = ReadWeights(top);
            var tolerances = ReadTolerances(top);
            var shortNames = ReadShortNames(top, [cells.Key, .. operators.Select(o => o.Key)]);
            return new Study(name, crs, cells, operators, weights, tolerances, sources, sitesOnly, shortNames);
        }

        private string DefaultName()
        {
            string name = Path.GetFileNameWithoutExtension(source);
            return string.IsNullOrWhiteSpace(name) ? "study" : name;
        }

        private string ReadCrs(Dictionary<string, JsonElement> top)
        {
            string? crs = OptionalString(top, "", "crs");
            if (crs is null || crs.Equals("auto", StringComparison.OrdinalIgnoreCase)) return "auto";
            var epsg = EpsgPattern().Match(crs);
            if (epsg.Success)
            {
                string digits = epsg.Groups[1].Value.TrimStart('0');
                if (digits.Length is > 0 and <= 9) return "EPSG:" + digits;
            }
            var laea = LaeaPattern().Match(crs);
            if (laea.Success
                && double.Parse(laea.Groups[1].Value, CultureInfo.InvariantCulture) is >= -180 and <= 180
                && double.Parse(laea.Groups[2].Value, CultureInfo.InvariantCulture) is > -90 and < 90)
                return $"LAEA:{laea.Groups[1].Value},{laea.Groups[2].Value}";
            throw Fail($"crs : \"{crs}\" n'est pas un réglage de SCR ; écrivez \"auto\" (le défaut), un code EPSG comme \"EPSG:3035\" ou \"EPSG:2154\", ou \"LAEA:lon,lat\"",
                $"crs: \"{crs}\" is not a CRS setting; use \"auto\" (the default), an EPSG code such as \"EPSG:3035\" or \"EPSG:2154\", or \"LAEA:lon,lat\"");
        }

        private LayerSpec ReadCells(Dictionary<string, JsonElement> top)
        {
            if (!top.TryGetValue("cells", out var element) || element.ValueKind == JsonValueKind.Null)
                throw Fail("cells : absent ; donnez la couche des territoires de coordination, ex. \"cells\": { \"path\": \"cells.geojson\" }",
                    "cells: missing; give the layer of coordination perimeters, e.g. \"cells\": { \"path\": \"cells.geojson\" }");
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("key", out _))
                throw Fail($"cells.key : clé inconnue (la clé de la couche des territoires est toujours \"{CellsKey}\")",
                    $"cells.key: unknown key (the cells layer's key is always \"{CellsKey}\")");
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("postgis", out _))
            {
                var pg = Members(element, "cells", PostGisCellsKeys);
                return ReadPostGis(pg, "cells", CellsKey);
            }
            var cells = Members(element, "cells", CellsKeys);
            return new LayerSpec(
                CellsKey,
                OptionalString(cells, "cells", "label") ?? CellsKey,
                RequiredPath(cells, "cells"),
                OptionalString(cells, "cells", "id"),
                OptionalString(cells, "cells", "name"),
                OptionalString(cells, "cells", "table"),
                Crs: LayerCrs(cells, "cells"));
        }

        private (List<LayerSpec> Zones, List<LayerSpec> SitesOnly) ReadOperators(Dictionary<string, JsonElement> top)
        {
            if (!top.TryGetValue("operators", out var array) || array.ValueKind == JsonValueKind.Null)
                throw Fail("operators : absent ; donnez une ou plusieurs couches d'opérateurs, ex. \"operators\": [{ \"key\": \"ml\", \"path\": \"missions_locales.geojson\" }]",
                    "operators: missing; list one or more operator layers, e.g. \"operators\": [{ \"key\": \"ml\", \"path\": \"missions_locales.geojson\" }]");
            if (array.ValueKind != JsonValueKind.Array)
                throw Fail($"operators : une liste de couches est attendue, pas {Described(array).Fr}", $"operators: expected an array of layers, not {Describe(array)}");
            if (array.GetArrayLength() == 0)
                throw Fail("operators : liste vide ; donnez au moins une couche d'opérateur", "operators: empty; list at least one operator layer");

            var operators = new List<LayerSpec>();
            var sitesOnly = new List<LayerSpec>();
            var firstIndexOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
            int index = 0;
            foreach (var element in array.EnumerateArray())
            {
                string where = $"operators[{index}]";
                bool isList = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("members", out _);
                bool isTable = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("postgis", out _);
                if (isTable && (isList || element.TryGetProperty("path", out _)))
                    throw Fail($"{where} : donnez un seul de \"path\" (un fichier), \"members\" (une liste de communes) ou \"postgis\" (une table), pas plusieurs",
                        $"{where}: give one of \"path\" (a file), \"members\" (a commune list) or \"postgis\" (a table), not several");
                if (isList && element.TryGetProperty("path", out _))
                    throw Fail($"{where} : donnez \"path\" (une couche de polygones) ou \"members\" (une liste de communes), pas les deux",
                        $"{where}: give either \"path\" (a polygon layer) or \"members\" (a commune list), not both");
                // A layer with neither "path" nor "members" may be either: the error lists both sets of keys.
                var op = Members(element, where, isTable ? PostGisOperatorKeys : isList ? MemberListKeys : OperatorKeys,
                    isTable || isList || element.ValueKind != JsonValueKind.Object || element.TryGetProperty("path", out _) ? null : MemberListKeys);
                string key = RequiredString(op, where, "key");
                if (!KeyPattern().IsMatch(key))
                    throw Fail($"{where}.key : \"{key}\" ne doit contenir que des minuscules, des chiffres et _ ([a-z0-9_]+) : elle préfixe les colonnes des résultats",
                        $"{where}.key: \"{key}\" must be lower-case letters, digits and _ only ([a-z0-9_]+): it prefixes output columns");
                if (key == CellsKey)
                    throw Fail($"{where}.key : \"{CellsKey}\" est réservée à la couche des territoires", $"{where}.key: \"{CellsKey}\" is reserved for the cells layer");
                if (firstIndexOfKey.TryGetValue(key, out int first))
                    throw Fail($"{where}.key : clé \"{key}\" en double (déjà operators[{first}])", $"{where}.key: duplicate key \"{key}\" (already operators[{first}])");
                firstIndexOfKey[key] = index;
                var sites = op.ContainsKey("sites") ? ReadSites(op, where) : null;
                if (isTable)
                {
                    operators.Add(ReadPostGis(op, where, key) with { Sites = sites });
                    index++;
                    continue;
                }
                if (isList)
                {
                    operators.Add(ReadMemberList(op, where, key) with { Sites = sites });
                    index++;
                    continue;
                }
                if (sites is not null && !op.ContainsKey("path"))
                {
                    // Sites and no zones (spec §9): distances only, no zone metrics.
                    if (op.ContainsKey("id") || op.ContainsKey("name") || op.ContainsKey("table"))
                        throw Fail($"{where} : \"id\", \"name\" et \"table\" décrivent le fichier des zones, et cet opérateur n'a que des lieux d'accueil ; mettez-les dans \"sites\"",
                            $"{where}: \"id\", \"name\" and \"table\" describe the zones' file, and this operator has sites only; put them in \"sites\"");
                    sitesOnly.Add(new LayerSpec(key, OptionalString(op, where, "label") ?? key, sites.Path, null, null, Sites: sites));
                    index++;
                    continue;
                }
                operators.Add(new LayerSpec(
                    key,
                    OptionalString(op, where, "label") ?? key,
                    RequiredPath(op, where),
                    OptionalString(op, where, "id"),
                    OptionalString(op, where, "name"),
                    OptionalString(op, where, "table"),
                    Sites: sites,
                    Crs: LayerCrs(op, where)));
                index++;
            }
            if (operators.Count == 0)
                throw Fail("operators : chaque opérateur n'a que des lieux d'accueil ; il en faut au moins un avec des zones (\"path\" ou \"members\") pour la superposition",
                    "operators: every operator has sites only; at least one needs zones (\"path\" or \"members\") for the overlay");
            return (operators, sitesOnly);
        }

        /// <summary>An operator's sites (spec §9): a point layer, or a CSV with lon/lat or commune columns.</summary>
        private SitesSpec ReadSites(Dictionary<string, JsonElement> op, string where)
        {
            string at = where + ".sites";
            var s = Members(op["sites"], at, SitesKeys);
            var spec = new SitesSpec(
                RequiredPath(s, at),
                OptionalString(s, at, "id"),
                OptionalString(s, at, "name"),
                OptionalString(s, at, "table"),
                OptionalString(s, at, "lon"),
                OptionalString(s, at, "lat"),
                OptionalString(s, at, "commune"),
                OptionalString(s, at, "communeCode") ?? "code");
            if (!spec.IsCsv && (spec.LonField ?? spec.LatField ?? spec.CommuneField) is not null)
                throw Fail($"{at} : \"lon\", \"lat\" et \"commune\" nomment des colonnes d'un CSV ; {Path.GetFileName(spec.Path)} est une couche de points, dont la géométrie place les lieux d'accueil",
                    $"{at}: \"lon\", \"lat\" and \"commune\" name columns of a CSV; {Path.GetFileName(spec.Path)} is a point layer, whose geometry places the sites");
            if (spec.CommuneField is not null && (spec.LonField ?? spec.LatField) is not null)
                throw Fail($"{at} : donnez \"commune\" (un code commune, placé à son centroïde) ou \"lon\"/\"lat\", pas les deux",
                    $"{at}: give either \"commune\" (a commune code, placed at its centroid) or \"lon\"/\"lat\", not both");
            if (spec.IsCsv && spec.IdField is null)
                throw Fail($"{at}.id : absent ; nommez la colonne du CSV qui identifie chaque lieu d'accueil", $"{at}.id: missing; name the CSV column that identifies each site");
            return spec;
        }

        /// <summary>A layer read from a PostGIS table; the connection must not carry a password.</summary>
        private LayerSpec ReadPostGis(Dictionary<string, JsonElement> members, string where, string key)
        {
            string connection = RequiredString(members, where, "postgis");
            if (PostGisConnection.HasPassword(connection))
                throw Fail($"{where}.postgis : la connexion contient un mot de passe ; une étude se partage et se garde, retirez-le et donnez-le "
                    + "par PGPASSWORD, ~/.pgpass ou l'environnement",
                    $"{where}.postgis: the connection holds a password; a study is shared and kept, so leave it out and give it "
                    + "through PGPASSWORD, ~/.pgpass or the environment");
            string table = RequiredString(members, where, "table");
            if (table.Count(ch => ch == '.') > 1 || table.StartsWith('.') || table.EndsWith('.'))
                throw Fail($"{where}.table : \"{table}\" n'est pas un nom de table ; écrivez schema.nom (ou nom, dans public)",
                    $"{where}.table: \"{table}\" is not a table name; write schema.name (or name, in public)");
            var spec = new PostGisSpec(connection, table, OptionalString(members, where, "geometry") ?? "geom");
            return new LayerSpec(key, OptionalString(members, where, "label") ?? key, "postgis:" + table,
                OptionalString(members, where, "id"), OptionalString(members, where, "name"), PostGis: spec);
        }

        /// <summary>An operator given as a commune list, dissolved over a commune map when the study is run.</summary>
        private LayerSpec ReadMemberList(Dictionary<string, JsonElement> op, string where, string key)
        {
            if (!op.ContainsKey("communes"))
                throw Fail($"{where}.communes : absent ; une liste de communes a besoin des polygones des communes à fusionner, ex. \"communes\": \"communes.geojson\"",
                    $"{where}.communes: missing; a commune list needs the commune polygons to dissolve, e.g. \"communes\": \"communes.geojson\"");
            string? crosswalk = op.ContainsKey("crosswalk") ? RequiredPath(op, where, "crosswalk") : null;
            string? from = OptionalString(op, where, "fromField"), to = OptionalString(op, where, "toField");
            if (crosswalk is not null && (from is null || to is null))
                throw Fail($"{where}.{(from is null ? "fromField" : "toField")} : absent ; une table de passage a besoin des noms de ses deux colonnes de codes",
                    $"{where}.{(from is null ? "fromField" : "toField")}: missing; a crosswalk needs the names of its two code columns");
            if (crosswalk is null && (from ?? to) is not null)
                throw Fail($"{where}.{(from is null ? "toField" : "fromField")} : donné sans \"crosswalk\"", $"{where}.{(from is null ? "toField" : "fromField")}: given without a \"crosswalk\"");
            var list = new ZoneListSpec(
                RequiredPath(op, where, "members"),
                RequiredPath(op, where, "communes"),
                OptionalString(op, where, "codeField") ?? "code",
                OptionalString(op, where, "memberCode") ?? "commune_code",
                OptionalString(op, where, "zoneCode") ?? "zone_code",
                OptionalString(op, where, "zoneName"),
                crosswalk, from, to);
            return new LayerSpec(key, OptionalString(op, where, "label") ?? key, list.MembersPath, null, null, null, list);
        }

        private WeightsSpec? ReadWeights(Dictionary<string, JsonElement> top)
        {
            if (!top.TryGetValue("weights", out var element) || element.ValueKind == JsonValueKind.Null) return null;
            var weights = Members(element, "weights", WeightsKeys);
            string path = RequiredPath(weights, "weights");
            string value = RequiredString(weights, "weights", "value");
            return new WeightsSpec(path, value,
                OptionalString(weights, "weights", "label") ?? value,
                OptionalString(weights, "weights", "table"),
                LayerCrs(weights, "weights"));
        }

        /// <summary><c>"shortNames": { "ml": { "id": "label", … }, "cells": { … } }</c>: display labels by layer and id.</summary>
        private Dictionary<string, IReadOnlyDictionary<string, string>>? ReadShortNames(Dictionary<string, JsonElement> top, string[] layerKeys)
        {
            if (!top.TryGetValue("shortNames", out var element) || element.ValueKind == JsonValueKind.Null) return null;
            var layers = Members(element, "shortNames", layerKeys);
            var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var (key, labels) in layers)
            {
                string where = Join("shortNames", key);
                if (labels.ValueKind != JsonValueKind.Object)
                    throw Fail($"{where} : un objet qui associe des identifiants à des noms courts est attendu, pas {Described(labels).Fr}",
                        $"{where}: expected an object mapping feature ids to short labels, not {Describe(labels)}");
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in labels.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.Value.GetString()))
                        throw Fail($"{Join(where, p.Name)} : un nom court doit être un texte non vide, pas {Described(p.Value).Fr}",
                            $"{Join(where, p.Name)}: a short label must be a non-empty string, not {Describe(p.Value)}");
                    if (!map.TryAdd(p.Name, p.Value.GetString()!))
                        throw Fail($"{Join(where, p.Name)} : donné deux fois", $"{Join(where, p.Name)}: given twice");
                }
                result[key] = map;
            }
            return result;
        }

        private Tolerances ReadTolerances(Dictionary<string, JsonElement> top)
        {
            var d = Tolerances.Default;
            if (!top.TryGetValue("tolerances", out var element) || element.ValueKind == JsonValueKind.Null) return d;
            var t = Members(element, "tolerances", Tolerances.Keys);
            var tolerances = new Tolerances(
                NonNegative(t, Tolerances.SliverWidthMKey) ?? d.SliverWidthM,
                NonNegative(t, Tolerances.MinAreaKm2Key) ?? d.MinAreaKm2,
                Share(t, Tolerances.MinShareKey) ?? d.MinShare,
                Share(t, Tolerances.NestShareKey) ?? d.NestShare,
                Positive(t, Tolerances.BeyondKmKey) ?? d.BeyondKm);
            if (tolerances.NestShare < tolerances.MinShare)
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"tolerances.nestShare : {tolerances.NestShare} est sous tolerances.minShare ({tolerances.MinShare}) ; une zone incluse doit au moins être significative"),
                    string.Create(CultureInfo.InvariantCulture,
                    $"tolerances.nestShare: {tolerances.NestShare} is below tolerances.minShare ({tolerances.MinShare}); a nested zone must at least be significant"));
            return tolerances;
        }

        private double? NonNegative(Dictionary<string, JsonElement> t, string key)
        {
            double? v = OptionalNumber(t, "tolerances", key);
            if (v < 0)
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"tolerances.{key} : doit être 0 ou plus, pas {v}"),
                    string.Create(CultureInfo.InvariantCulture, $"tolerances.{key}: must be 0 or more, not {v}"));
            return v;
        }

        private double? Positive(Dictionary<string, JsonElement> t, string key)
        {
            double? v = OptionalNumber(t, "tolerances", key);
            if (v <= 0)
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"tolerances.{key} : doit être plus que 0 (km), pas {v}"),
                    string.Create(CultureInfo.InvariantCulture, $"tolerances.{key}: must be more than 0 (km), not {v}"));
            return v;
        }

        private double? Share(Dictionary<string, JsonElement> t, string key)
        {
            double? v = OptionalNumber(t, "tolerances", key);
            if (v is not null && !(v > 0 && v <= 1))
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"tolerances.{key} : une part doit être dans ]0, 1], pas {v}"),
                    string.Create(CultureInfo.InvariantCulture, $"tolerances.{key}: a share must be in (0, 1], not {v}"));
            return v;
        }

        /// <summary>A layer's own <c>"crs"</c>: an EPSG code, for a file that declares none.</summary>
        private string? LayerCrs(Dictionary<string, JsonElement> members, string where)
        {
            string? crs = OptionalString(members, where, "crs");
            if (crs is null) return null;
            var epsg = EpsgPattern().Match(crs.Trim());
            if (!epsg.Success)
                throw Fail($"{Join(where, "crs")} : \"{crs}\" n'est pas un code EPSG ; donnez le SCR des coordonnées du fichier, ex. \"EPSG:2154\" (Lambert-93)",
                    $"{Join(where, "crs")}: \"{crs}\" is not an EPSG code; give the CRS of the file's coordinates, e.g. \"EPSG:2154\" (Lambert-93)");
            return "EPSG:" + epsg.Groups[1].Value;
        }

        /// <summary>The members of an object, refusing duplicates and keys not in <paramref name="allowed"/>.</summary>
        /// <param name="alternative">Keys of the other form the object could take (a commune list), listed in the error too.</param>
        private Dictionary<string, JsonElement> Members(JsonElement element, string where, IReadOnlyList<string> allowed, IReadOnlyList<string>? alternative = null)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw Fail($"{(where.Length == 0 ? "étude" : where)} : un objet ({{ … }}) est attendu, pas {Described(element).Fr}",
                    $"{(where.Length == 0 ? "study" : where)}: expected an object ({{ … }}), not {Describe(element)}");
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                string path = Join(where, property.Name);
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    string? guess = Suggest(property.Name, allowed);
                    guess ??= alternative is null ? null : Suggest(property.Name, alternative);
                    if (guess is not null)
                        throw Fail($"{path} : clé inconnue (vouliez-vous dire \"{guess}\" ?)", $"{path}: unknown key (did you mean \"{guess}\"?)");
                    string allowedList = string.Join(", ", allowed.Select(k => $"\"{k}\""));
                    if (alternative is null)
                        throw Fail($"{path} : clé inconnue ; attendu {allowedList}", $"{path}: unknown key; expected {allowedList}");
                    throw Fail($"{path} : clé inconnue ; attendu {allowedList} pour une couche de polygones, "
                            + $"ou {string.Join(", ", alternative.Select(k => $"\"{k}\""))} pour une liste de communes",
                        alternative is null
                            ? $"{path}: unknown key; expected {string.Join(", ", allowed.Select(k => $"\"{k}\""))}"
                            : $"{path}: unknown key; expected {string.Join(", ", allowed.Select(k => $"\"{k}\""))} for a polygon layer, "
                                + $"or {string.Join(", ", alternative.Select(k => $"\"{k}\""))} for a commune list");
                }
                if (!members.TryAdd(property.Name, property.Value))
                    throw Fail($"{path} : donné deux fois", $"{path}: given twice");
            }
            return members;
        }

        private string RequiredPath(Dictionary<string, JsonElement> members, string where, string field = "path")
        {
            string path = RequiredString(members, where, field);
            try
            {
                return Path.GetFullPath(Path.Combine(baseDirectory, path));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new CepGeoInputException(source, null, new Phrase($"{Join(where, field)} : \"{path}\" n'est pas un chemin valide ({e.Message})",
                    $"{Join(where, field)}: \"{path}\" is not a valid path ({e.Message})"), e);
            }
        }

        private string RequiredString(Dictionary<string, JsonElement> members, string where, string key) =>
            OptionalString(members, where, key) ?? throw Fail($"{Join(where, key)} : absent", $"{Join(where, key)}: missing");

        /// <summary>A non-blank string, or null when absent or JSON null.</summary>
        private string? OptionalString(Dictionary<string, JsonElement> members, string where, string key)
        {
            if (!members.TryGetValue(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String)
                throw Fail($"{Join(where, key)} : texte attendu, pas {Described(v).Fr}", $"{Join(where, key)}: expected a string, not {Describe(v)}");
            string s = v.GetString()!;
            if (string.IsNullOrWhiteSpace(s)) throw Fail($"{Join(where, key)} : vide", $"{Join(where, key)}: empty");
            return s;
        }

        private double? OptionalNumber(Dictionary<string, JsonElement> members, string where, string key)
        {
            if (!members.TryGetValue(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number)
                throw Fail($"{Join(where, key)} : un nombre est attendu, pas {Described(v).Fr}", $"{Join(where, key)}: expected a number, not {Describe(v)}");
            if (!v.TryGetDouble(out double d) || !double.IsFinite(d))
                throw Fail($"{Join(where, key)} : {v.GetRawText()} n'est pas un nombre fini", $"{Join(where, key)}: {v.GetRawText()} is not a finite number");
            return d;
        }



        private CepGeoInputException Fail(string french, string english) => new(source, null, new Phrase(french, english));

        private static string Join(string where, string key) => where.Length == 0 ? key : $"{where}.{key}";

        /// <summary>What a JSON value is, in both languages: "un texte (\"x\")" / "a string (\"x\")".</summary>
        private static Phrase Described(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => new($"un texte ({e.GetRawText()})", $"a string ({e.GetRawText()})"),
            JsonValueKind.Number => new($"un nombre ({e.GetRawText()})", $"a number ({e.GetRawText()})"),
            JsonValueKind.True or JsonValueKind.False => new($"un booléen ({e.GetRawText()})", $"a boolean ({e.GetRawText()})"),
            JsonValueKind.Array => new("une liste", "an array"),
            JsonValueKind.Object => new("un objet", "an object"),
            _ => new("null", "null"),
        };

        private static string Describe(JsonElement e) => Described(e).En;

        /// <summary>The allowed key a typo most likely meant: same letters ignoring case, or one edit (two for long keys).</summary>
        private static string? Suggest(string key, IReadOnlyList<string> allowed)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in allowed)
            {
                int d = string.Equals(key, candidate, StringComparison.OrdinalIgnoreCase)
                    ? 0
                    : EditDistance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (d < bestDistance) (best, bestDistance) = (candidate, d);
            }
            return bestDistance <= Math.Min(2, Math.Max(1, key.Length / 3)) ? best : null;
        }

        /// <summary>Edit distance counting a swap of two neighbours as one edit ("lable" → "label").</summary>
        private static int EditDistance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
            return d[a.Length, b.Length];
        }
    }
}
