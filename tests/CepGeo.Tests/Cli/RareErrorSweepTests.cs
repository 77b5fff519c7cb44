using System.Text;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// The rarer mistakes in a layer, a study or a list (issue 25, session 13): each is a real bad file given to the command a
/// planner would run, and each ends with one line naming the file (and the feature where one is at fault) and the problem,
/// exit 2, in French by default with no English word, in English with <c>--lang en</c>. Before, these ~80 messages of the
/// readers were English on a French console.
/// </summary>
public sealed class RareErrorSweepTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _demo = Path.Combine(TestPaths.RepoRoot, "data", "demo");

    public void Dispose() => _dir.Dispose();

    private const string Square = "[[[5.0,43.0],[5.1,43.0],[5.1,43.1],[5.0,43.1],[5.0,43.0]]]";
    private const string SquareL93 = "[[[900000,6250000],[910000,6250000],[910000,6260000],[900000,6260000],[900000,6250000]]]";

    private static string Feature(string props, string coordinates = Square, string type = "Polygon") =>
        "{\"type\":\"Feature\",\"properties\":" + props + ",\"geometry\":{\"type\":\"" + type + "\",\"coordinates\":" + coordinates + "}}";

    private static string Collection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>A study over the demo layers with one change (a JSON fragment replacing another).</summary>
    private string Study(string name, string from, string to)
    {
        string json = File.ReadAllText(Path.Combine(_demo, "study.json"));
        Assert.Contains(from, json, StringComparison.Ordinal);
        json = json.Replace("\"path\": \"", "\"path\": \"" + _demo + "/", StringComparison.Ordinal).Replace(from, to, StringComparison.Ordinal);
        return Write(name, json);
    }

    /// <summary>(what, command line, the file the line must name, a French fragment, an English fragment).</summary>
    private IEnumerable<(string What, string[] Args, string File, string Fr, string En)> Cases()
    {
        string Layer(string name, string text) => Write(name, text);
        string[] Inspect(string path, params string[] more) => ["inspecter", path, .. more];

        yield return ("GeoJSON that is an array", Inspect(Layer("array.geojson", "[1,2]")), "array.geojson",
            "pas du GeoJSON : le fichier contient une liste", "not GeoJSON: the file holds an array");
        yield return ("TopoJSON", Inspect(Layer("topo.geojson", """{"type":"Topology","objects":{}}""")), "topo.geojson",
            "pas une FeatureCollection GeoJSON : \"type\" vaut \"Topology\"", "not a GeoJSON FeatureCollection");
        yield return ("a bare geometry", Inspect(Layer("bare.geojson", $$"""{"type":"Polygon","coordinates":{{Square}}}""")), "bare.geojson",
            "une géométrie Polygon seule", "bare Polygon geometry");
        yield return ("no type member", Inspect(Layer("notype.geojson", """{"name":"x"}""")), "notype.geojson",
            "n'a pas de membre \"type\"", "no \"type\" member");
        yield return ("features not an array", Inspect(Layer("fobj.geojson", """{"type":"FeatureCollection","features":{}}""")), "fobj.geojson",
            "\"features\" doit être une liste, pas un objet", "\"features\" must be an array, not an object");
        yield return ("a FeatureCollection without features", Inspect(Layer("nofeat.geojson", """{"type":"FeatureCollection"}""")), "nofeat.geojson",
            "FeatureCollection sans liste \"features\"", "FeatureCollection without a \"features\" array");
        yield return ("properties a number", Inspect(Layer("props.geojson", Collection(Feature("5")))), "props.geojson",
            "entité GeoJSON non valide : \"properties\" doit être un objet ou null", "\"properties\" must be an object or null");
        yield return ("a feature that is a number", Inspect(Layer("num.geojson", """{"type":"FeatureCollection","features":[7]}""")), "num.geojson",
            "elle est un nombre, pas un objet Feature", "it is a number, not a Feature object");
        yield return ("a position of one number", Inspect(Layer("pos.geojson", Collection(Feature("{\"id\":\"a\"}", "[[[5.0],[5.1,43.0],[5.1,43.1],[5.0,43.0]]]")))), "pos.geojson",
            "une position demande au moins deux nombres", "a position needs at least two numbers");
        yield return ("an empty file", Inspect(Layer("empty.geojson", "")), "empty.geojson", "le fichier est vide", "the file is empty");
        yield return ("crs member a number", Inspect(Layer("crsnum.geojson", """{"type":"FeatureCollection","crs":5,"features":[]}""")), "crsnum.geojson",
            "le membre crs doit être un objet, pas 5", "the crs member must be an object, not 5");
        yield return ("crs name not understood", Inspect(Layer("crsname.geojson", """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"Lambert 93"}},"features":[]}""")),
            "crsname.geojson", "n'est pas un nom de SCR que CepGeo comprend", "is not a CRS name CepGeo understands");
        yield return ("crs linked", Inspect(Layer("crslink.geojson", """{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"x"}},"features":[]}""")),
            "crslink.geojson", "membre crs de type \"link\" non pris en charge", "crs member of type \"link\" is not supported");
        yield return ("Lambert-93 without crs", Inspect(Layer("l93.geojson", Collection(Feature("{\"id\":\"a\"}", SquareL93)))), "l93.geojson",
            "les coordonnées sortent des bornes longitude/latitude (x de 900000 à 910000", "coordinates are outside the longitude/latitude range");
        yield return ("degrees declared as Lambert-93", Inspect(Layer("decl.geojson",
                """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"features":[""" + Feature("{\"id\":\"a\"}") + "]}")),
            "decl.geojson", "le fichier déclare EPSG:2154, un SCR projeté en mètres", "the file declares EPSG:2154, a projected CRS in metres");
        yield return ("an unknown EPSG code", Inspect(Layer("epsg.geojson",
                """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:99999"}},"features":[""" + Feature("{\"id\":\"a\"}", SquareL93) + "]}")),
            "epsg.geojson", "SCR \"EPSG:99999\" inconnu et pas de WKT pour le définir", "unknown CRS \"EPSG:99999\" and no WKT");
        yield return ("ids used twice", Inspect(Layer("dup.geojson", Collection(Feature("{\"code\":\"a\"}"), Feature("{\"code\":\"a\"}"))), "--id", "code"), "dup.geojson",
            "1 identifiant(s) employé(s) plusieurs fois (propriété \"code\")", "1 id(s) used more than once (property \"code\")");
        yield return ("an empty id", Inspect(Layer("emptyid.geojson", Collection(Feature("{\"code\":\"a\"}"), Feature("{\"code\":\"\"}"))), "--id", "code"), "emptyid.geojson",
            "1 entité(s) à l'identifiant vide (propriété \"code\") : #2", "1 feature(s) with an empty id");
        yield return ("points only", Inspect(Layer("points.geojson", Collection(Feature("{\"id\":\"a\"}", "[5.0,43.0]", "Point")))), "points.geojson",
            "aucune entité polygonale : les 1 sont ignorées (1 × Point n'est pas un polygone)", "no polygon features: all 1 skipped (1 × Point is not a polygon)");
        yield return ("no features", Inspect(Layer("none.geojson", Collection())), "none.geojson",
            "aucune entité : la couche est vide", "no features: the layer is empty");
        yield return ("a coordinate too large", Inspect(Layer("huge.geojson", Collection(Feature("{\"id\":\"a\"}", "[[[5.0,43.0],[1e999,43.0],[5.1,43.1],[5.0,43.0]]]")))),
            "huge.geojson", "n'est pas un nombre fini", "is not a finite number");
        yield return ("a text file named .gpkg", Inspect(Layer("notes.gpkg", "ceci n'est pas une base")), "notes.gpkg",
            "pas un GeoPackage lisible (pas de table gpkg_contents, erreur SQLite 26", "not a GeoPackage (no gpkg_contents table): SQLite Error 26");

        // The study file's rarer mistakes, at valider.
        string[] Validate(string path) => ["valider", path];
        yield return ("study an array", Validate(Write("array.json", "[1]")), "array.json",
            "l'étude doit être un objet JSON ({ … }), pas une liste", "the study must be a JSON object");
        yield return ("study crs not a setting", Validate(Study("crs.json", "\"crs\": \"auto\"", "\"crs\": \"Lambert\"")), "crs.json",
            "crs : \"Lambert\" n'est pas un réglage de SCR", "crs: \"Lambert\" is not a CRS setting");
        yield return ("operator key in capitals", Validate(Study("key.json", "\"key\": \"ml\"", "\"key\": \"ML\"")), "key.json",
            "ne doit contenir que des minuscules, des chiffres et _", "must be lower-case letters, digits and _ only");
        yield return ("operator key twice", Validate(Study("twice.json", "\"key\": \"pe\"", "\"key\": \"ml\"")), "twice.json",
            "clé \"ml\" en double (déjà operators[0])", "duplicate key \"ml\" (already operators[0])");
        yield return ("a share of 0", Validate(Study("share.json", "\"minShare\": 0.01", "\"minShare\": 0")), "share.json",
            "tolerances.minShare : une part doit être dans ]0, 1], pas 0", "tolerances.minShare: a share must be in (0, 1], not 0");
        yield return ("a negative width", Validate(Study("width.json", "\"sliverWidthM\": 50", "\"sliverWidthM\": -5")), "width.json",
            "tolerances.sliverWidthM : doit être 0 ou plus, pas -5", "tolerances.sliverWidthM: must be 0 or more, not -5");
        yield return ("nestShare below minShare", Validate(Study("nest.json", "\"nestShare\": 0.95", "\"nestShare\": 0.005")), "nest.json",
            "tolerances.nestShare : 0.005 est sous tolerances.minShare", "tolerances.nestShare: 0.005 is below tolerances.minShare");
        yield return ("a tolerance as text", Validate(Study("text.json", "\"minShare\": 0.01", "\"minShare\": \"0,01\"")), "text.json",
            "tolerances.minShare : un nombre est attendu, pas un texte (\"0,01\")", "tolerances.minShare: expected a number, not a string");
        yield return ("path and members", Validate(Study("both.json", "\"key\": \"ml\"", "\"key\": \"ml\", \"members\": \"list.csv\"")), "both.json",
            "donnez \"path\" (une couche de polygones) ou \"members\" (une liste de communes), pas les deux", "give either \"path\"");
        yield return ("a layer crs that is not EPSG", Validate(Study("lcrs.json", "\"key\": \"ml\"", "\"key\": \"ml\", \"crs\": \"2154\"")), "lcrs.json",
            "operators[0].crs : \"2154\" n'est pas un code EPSG", "operators[0].crs: \"2154\" is not an EPSG code");
        yield return ("operators not a list", Validate(Write("ops.json", """{"cells":{"path":"c.geojson"},"operators":{"key":"ml"}}""")), "ops.json",
            "operators : une liste de couches est attendue, pas un objet", "operators: expected an array of layers, not an object");
        yield return ("a key on the cells", Validate(Write("ckey.json", """{"cells":{"path":"c.geojson","key":"zz"},"operators":[{"key":"ml","path":"m.geojson"}]}""")), "ckey.json",
            "cells.key : clé inconnue (la clé de la couche des territoires est toujours", "cells.key: unknown key");
        yield return ("a commune list without communes", Validate(Write("list.json", """{"cells":{"path":"c.geojson"},"operators":[{"key":"ml","members":"l.csv"}]}""")), "list.json",
            "operators[0].communes : absent ; une liste de communes a besoin des polygones", "operators[0].communes: missing");
        yield return ("a crosswalk without its fields", Validate(Write("cw.json",
                """{"cells":{"path":"c.geojson"},"operators":[{"key":"ml","members":"l.csv","communes":"c.geojson","crosswalk":"cw.csv"}]}""")), "cw.json",
            "operators[0].fromField : absent ; une table de passage a besoin", "operators[0].fromField: missing; a crosswalk needs");
        yield return ("sites by commune and lon/lat", Validate(Write("sites.json",
                """{"cells":{"path":"c.geojson"},"operators":[{"key":"ml","path":"m.geojson","sites":{"path":"s.csv","id":"id","commune":"c","lon":"x"}}]}""")), "sites.json",
            "donnez \"commune\" (un code commune, placé à son centroïde) ou \"lon\"/\"lat\", pas les deux", "give either \"commune\"");
        yield return ("shortNames not an object", Validate(Study("short.json", "\"crs\": \"auto\"", "\"crs\": \"auto\", \"shortNames\": { \"ml\": [1] }")), "short.json",
            "shortNames.ml : un objet qui associe des identifiants à des noms courts est attendu, pas une liste", "shortNames.ml: expected an object mapping");

        // An operator's sites as a CSV (spec §9), at valider.
        string Sites(string name, string csv) =>
            Study(name.Replace(".csv", ".json", StringComparison.Ordinal), "\"key\": \"ml\"",
                $"\"key\": \"ml\", \"sites\": {{ \"path\": \"{Write(name, csv)}\", \"id\": \"id\" }}");
        yield return ("a site's longitude not a number", Validate(Sites("lon.csv", "id,lon,lat\nS1,abc,44.9\n")), "lon.csv",
            "entité S1 (line 2) : \"abc\" dans la colonne \"lon\" n'est pas un nombre", "\"abc\" in column \"lon\" is not a number");
        yield return ("a site id twice", Validate(Sites("ids.csv", "id,lon,lat\nS1,4.3,44.9\nS1,4.4,44.9\n")), "ids.csv",
            "1 identifiant(s) employé(s) plusieurs fois (colonne \"id\") : \"S1\" (lines 2, 3)", "1 id(s) used more than once (column \"id\")");
        yield return ("a site outside lon/lat", Validate(Sites("far.csv", "id,lon,lat\nS1,900000,6250000\n")), "far.csv",
            "lon 900000, lat 6250000 sort des bornes longitude/latitude (±180, ±90) ; elles semblent projetées", "is outside the longitude/latitude range");
        yield return ("sites without their lat column", Validate(Sites("nolat.csv", "id,lon\nS1,4.3\n")), "nolat.csv",
            "pas de colonne \"lat\" (sites.lat) ; les colonnes sont \"id\", \"lon\"", "no column \"lat\" (sites.lat)");

        // Commune lists (zones build): the CSV reader's own mistakes.
        string communes = Path.Combine(_demo, "communes.geojson");
        string[] Zones(string list) => ["zones", "build", "--communes", communes, "--members", list, "--out", _dir.File("z/out.geojson")];
        yield return ("an unclosed quote", Zones(Write("quote.csv", "commune_code,zone_code\n\"99001,Z1\n")), "quote.csv",
            "ligne 2 : un champ entre guillemets n'est jamais fermé", "line 2: a quoted field is never closed");
        yield return ("a column twice", Zones(Write("twice.csv", "commune_code,zone_code,zone_code\n99001,Z1,Z2\n")), "twice.csv",
            "ligne 1 : la colonne \"zone_code\" est donnée deux fois", "line 1: column \"zone_code\" is given twice");
        yield return ("a line with another separator", Zones(Write("sep.csv", "commune_code,zone_code\n99001;Z1\n")), "sep.csv",
            "la ligne 2 emploie ';' comme séparateur mais l'en-tête emploie ','", "line 2 uses ';' as separator");
        yield return ("a list with a header only", Zones(Write("header.csv", "commune_code,zone_code\n")), "header.csv",
            "la liste a une ligne d'en-tête mais aucune ligne de données", "the list has a header but no rows");
        yield return ("a commune without its zone", Zones(Write("nozone.csv", "commune_code,zone_code\n99001,\n")), "nozone.csv",
            "ligne 2 : la commune 99001 n'a pas de code de zone dans \"zone_code\"", "line 2: commune 99001 has no zone code");
    }

    [Fact]
    public void RareInputMistakes_OneFrenchLine_NamingTheFile_Exit2_EnglishWithLangEn()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var (what, args, file, fr, en) in Cases().ToList())
        {
            count++;
            var run = CliRun.Of(args);
            string err = run.Err.TrimEnd();
            if (run.ExitCode != 2) failures.Add($"{what}: exit {run.ExitCode}\n{run.Out}{run.Err}");
            if (!err.StartsWith("erreur : " + file + " : ", StringComparison.Ordinal)) failures.Add($"{what}: not one French line naming {file}\n{err}");
            if (err.Contains('\n', StringComparison.Ordinal)) failures.Add($"{what}: more than one line\n{err}");
            if (!err.Contains(fr, StringComparison.Ordinal)) failures.Add($"{what}: no «{fr}»\n{err}");
            if (ConsoleSweepTests.EnglishIn(run.Out + run.Err) is { Length: > 0 } words)
                failures.Add($"{what}: English by default ({string.Join(", ", words)})\n{err}");

            var english = CliRun.Of([.. args, "--lang", "en"]);
            string errEn = english.Err.TrimEnd();
            if (english.ExitCode != 2) failures.Add($"{what} (en): exit {english.ExitCode}\n{english.Err}");
            if (!errEn.StartsWith("error: " + file + ": ", StringComparison.Ordinal) || !errEn.Contains(en, StringComparison.Ordinal))
                failures.Add($"{what} (en): expected «{en}»\n{errEn}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures in {count} cases:\n\n" + string.Join("\n\n", failures));
        Assert.True(count >= 40, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SkippedAndRepairedFeatures_InspectSaysThemInFrench()
    {
        // A point among polygons (skipped) and a bow-tie polygon (repaired): inspect lists both in the console's language.
        string path = Write("mixed.geojson", Collection(
            Feature("{\"id\":\"a\"}"),
            Feature("{\"id\":\"p\"}", "[5.0,43.0]", "Point"),
            Feature("{\"id\":\"bow\"}", "[[[5.2,43.0],[5.3,43.1],[5.3,43.0],[5.2,43.1],[5.2,43.0]]]")));
        var fr = CliRun.Of("inspecter", path, "--id", "id");
        Assert.True(fr.ExitCode == 0, fr.Err);
        Assert.Contains("ignorée p : Point n'est pas un polygone", fr.Out, StringComparison.Ordinal);
        Assert.Matches(@"réparée bow : auto-intersection en \(5\.25 43\.05\) ; réparée avec GeometryFixer", fr.Out);
        var en = CliRun.Of("inspecter", path, "--id", "id", "--lang", "en");
        Assert.Contains("skipped p : Point is not a polygon", en.Out, StringComparison.Ordinal);
        Assert.Matches(@"repaired bow : Self-intersection at \(5\.25 43\.05\); repaired with GeometryFixer", en.Out);
    }
}
