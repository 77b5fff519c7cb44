using System.CommandLine;
using System.Globalization;
using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Validation;
using CepGeo.Core.Projection;
using CepGeo.Core.Reporting;
using CepGeo.Core.Loading.Zones;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo zones build --communes MAP --members LIST.csv … --out ZONES.geojson</c>: operator zones from
/// a commune list, with a match report (console + ZONES.match.csv).
/// </summary>
internal static class ZonesBuildCommand
{
    /// <summary>Exit code when the zones were written but some listed codes matched no commune.</summary>
    public const int UnmatchedExitCode = 3;

    /// <summary>Lines of the match report shown on the console; the whole report is in the .match.csv.</summary>
    public const int ConsoleReportLines = 10;

    public static Command Create(CliContext context)
    {
        var communes = new Option<string>("--communes") { Description = context.T("Polygones des communes (GeoJSON, Shapefile, GeoPackage)", "Commune polygons (GeoJSON, Shapefile, GeoPackage)"), Required = true };
        var codeField = new Option<string>("--code-field") { Description = context.T("Propriété des communes portant le code commune", "Property of the communes holding the commune code"), DefaultValueFactory = _ => "code" };
        var members = new Option<string?>("--members") { Description = context.T("La liste des communes (CSV, « , » ou « ; ») : une ligne par commune et par zone", "The commune list (CSV, ',' or ';'): one row per commune and zone") };
        var nearestSite = new Option<string?>("--nearest-site") { Description = context.T("Au lieu d'une liste : les sites de l'opérateur (points GeoJSON, GeoPackage, Shapefile, ou CSV avec lon/lat) ; chaque commune va au site le plus proche (zones dérivées)", "Instead of a list: the operator's sites (GeoJSON, GeoPackage, Shapefile points, or CSV with lon/lat); each commune goes to its nearest site (derived zones)") };
        var siteId = new Option<string?>("--site-id") { Description = context.T("Avec --nearest-site : propriété (ou colonne CSV) portant l'identifiant du site", "With --nearest-site: property (or CSV column) holding the site id") };
        var siteName = new Option<string?>("--site-name") { Description = context.T("Avec --nearest-site : propriété (ou colonne CSV) portant le nom du site", "With --nearest-site: property (or CSV column) holding the site name") };
        var memberCode = new Option<string>("--member-code") { Description = context.T("Colonne de la liste portant le code commune", "Column of the list holding the commune code"), DefaultValueFactory = _ => "commune_code" };
        var zoneCode = new Option<string>("--zone-code") { Description = context.T("Colonne de la liste portant le code de zone", "Column of the list holding the zone code"), DefaultValueFactory = _ => "zone_code" };
        var zoneName = new Option<string?>("--zone-name") { Description = context.T("Colonne de la liste portant le nom de zone", "Column of the list holding the zone name") };
        var weights = new Option<string?>("--weights") { Description = context.T("Propriété numérique des communes à sommer par zone (ex. population)", "Numeric property of the communes to sum per zone (e.g. population)") };
        var crosswalk = new Option<string?>("--crosswalk") { Description = context.T("CSV reliant les codes commune de deux années (table de passage), utilisé dans les deux sens", "CSV relating commune codes of two years, used in either direction") };
        var fromField = new Option<string?>("--from-field") { Description = context.T("Colonne de la table de passage d'une année (ex. commune_code_2018)", "Crosswalk column of one year (e.g. commune_code_2018)") };
        var toField = new Option<string?>("--to-field") { Description = context.T("Colonne de la table de passage de l'autre année (ex. commune_code_2026)", "Crosswalk column of the other year (e.g. commune_code_2026)") };
        var output = new Option<string>("--out", "-o") { Description = context.T("Les zones à écrire (GeoJSON) ; le rapport est écrit à côté, NOM.match.csv", "The zones to write (GeoJSON); the report goes beside it as NAME.match.csv"), Required = true };
        var force = new Option<bool>("--force") { Description = context.T("Remplacer les fichiers existants", "Replace existing output files") };
        var pad = new Option<bool>("--pad-codes")
        {
            Description = context.T("Remettre le zéro initial des codes commune à 4 chiffres (abîmés par Excel : 4001 → 04001)",
                "Restore the leading zero of 4-digit commune codes (damaged by Excel: 4001 → 04001)"),
        };
        var command = new Command("build", context.T("Fusionner les polygones des communes en zones d'après une liste de communes, et dire ce qui ne correspond pas (code de sortie 3 quand des codes restent sans commune)", "Dissolve commune polygons into zones from a commune list, and report what did not match (exit 3 when codes stay unmatched)"))
        {
            communes, codeField, members, memberCode, zoneCode, zoneName, weights, crosswalk, fromField, toField, output, force, pad,
            nearestSite, siteId, siteName,
        };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(nearestSite) is string sitesPath)
            {
                if (parsed.GetValue(members) is not null)
                    throw new CepGeoInputException("zones build", null, new Phrase("donnez soit --members (une liste de communes), soit --nearest-site (des sites), pas les deux",
                        "give either --members (a commune list) or --nearest-site (sites), not both"));
                var sites = new SitesSpec(Path.GetFullPath(sitesPath), parsed.GetValue(siteId), parsed.GetValue(siteName));
                return RunNearest(context, Path.GetFullPath(parsed.GetValue(communes)!), parsed.GetValue(codeField)!, sites,
                    parsed.GetValue(weights), parsed.GetValue(output)!, parsed.GetValue(force));
            }
            if (parsed.GetValue(members) is null)
                throw new CepGeoInputException("zones build", null, new Phrase("donnez --members LISTE.csv (une liste de communes) ou --nearest-site SITES (zones dérivées des sites de l'opérateur)",
                    "give --members LIST.csv (a commune list) or --nearest-site SITES (zones derived from the operator's sites)"));
            foreach (var (name, value) in new[] { ("--members", parsed.GetValue(members)), ("--communes", parsed.GetValue(communes)), ("--out", parsed.GetValue(output)) })
                if (string.IsNullOrWhiteSpace(value))
                    throw new CepGeoInputException(name, null, new Phrase("le chemin est vide : donnez un nom de fichier", "the path is empty: give a file name"));
            var spec = new ZoneListSpec(
                Path.GetFullPath(parsed.GetValue(members)!), Path.GetFullPath(parsed.GetValue(communes)!),
                parsed.GetValue(codeField)!, parsed.GetValue(memberCode)!, parsed.GetValue(zoneCode)!, parsed.GetValue(zoneName),
                parsed.GetValue(crosswalk) is string c ? Path.GetFullPath(c) : null, parsed.GetValue(fromField), parsed.GetValue(toField));
            return Run(context, spec, parsed.GetValue(weights), parsed.GetValue(output)!, parsed.GetValue(force), parsed.GetValue(pad));
        });
        return command;
    }

    /// <summary>ZONES.geojson → ZONES.match.csv.</summary>
    public static string MatchPath(string zonesPath)
    {
        string name = Path.GetFileName(zonesPath);
        int dot = name.LastIndexOf('.');
        string stem = dot > 0 ? name[..dot] : name;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(zonesPath))!, stem + ".match.csv");
    }

    /// <summary>Zones derived from sites: each commune to its nearest site, dissolved, marked derived.</summary>
    private static int RunNearest(CliContext context, string communesPath, string codeField, SitesSpec sites, string? weightsField, string outPath, bool force)
    {
        var (zonesPath, matchPath) = Targets(outPath, force);
        if (!File.Exists(communesPath)) throw new CepGeoInputException(Path.GetFileName(communesPath), null, new Phrase("fichier introuvable (--communes)", "file not found (--communes)"));
        if (!File.Exists(sites.Path)) throw new CepGeoInputException(Path.GetFileName(sites.Path), null, new Phrase("fichier introuvable (--nearest-site)", "file not found (--nearest-site)"));
        var communes = LayerRepair.Repair(LayerReader.Read(communesPath, new LayerOptions(Path.GetFileName(communesPath), codeField, null)));
        var build = NearestSiteZones.Build(communes, StudyFiles.LoadSites(sites), weightsField);
        WriteZones(build, communes.Crs, communes.Source, weightsField, zonesPath, matchPath);
        var text = context.Text;
        string sitesFile = Path.GetFileName(sites.Path), communesFile = Path.GetFileName(communesPath);
        context.Console.WriteLine(text.T(
            $"{text.Count(build.Zones.Count, "zone dérivée", "", "zones dérivées")} de {text.Count(build.Counts.Rows, "site", "")} de {sitesFile} sur {text.Count(build.Counts.Communes, "commune", "")} de {communesFile} : "
            + $"chaque commune va au site le plus proche de son centroïde (en ligne droite). Dérivées, pas la carte de l'opérateur : chaque zone porte \"derived\": \"{NearestSiteZones.Derived}\".",
            $"{text.Count(build.Zones.Count, "", "zone")} derived from {text.Count(build.Counts.Rows, "", "site")} of {sitesFile} over {text.Count(build.Counts.Communes, "", "commune")} of {communesFile}: "
            + $"each commune goes to the site nearest its centroid (straight line). Derived, not the operator's own map: marked \"derived\": \"{NearestSiteZones.Derived}\" in every zone."));
        foreach (var e in build.Of(MatchKinds.EmptyZone))
            context.Console.WriteLine($"  site {e.Code} : {e.DetailIn(text.French)}");
        context.Console.WriteLine(context.T("Fichiers écrits :", "Outputs:"));
        context.Console.WriteLine("  " + zonesPath);
        context.Console.WriteLine("  " + matchPath);
        return 0;
    }

    /// <summary>The zones in lon/lat (RFC 7946) and the match report, each written whole or not at all.</summary>
    private static void WriteZones(ZoneBuild build, CrsRef crs, string source, string? weightsField, string zonesPath, string matchPath)
    {
        var toWgs84 = Reprojector.Create(crs, CrsRef.Wgs84Default, source);
        var lonLat = toWgs84.IsIdentity ? build
            : build with { Zones = [.. build.Zones.Select(z => z with { Geometry = toWgs84.Transform(z.Geometry) })] };
        WriteAtomically(zonesPath, s => ZoneOutputs.WriteGeoJson(s, lonLat, weightsField, CliApp.Version));
        WriteAtomically(matchPath, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true);
            ZoneOutputs.WriteMatchCsv(writer, build);
        });
    }

    private static (string Zones, string Match) Targets(string outPath, bool force)
    {
        string zonesPath = Path.GetFullPath(outPath);
        string matchPath = MatchPath(zonesPath);
        if (Directory.Exists(zonesPath))
            throw new CepGeoInputException(outPath, null, new Phrase("est un dossier ; --out nomme le fichier de zones à écrire (ex. zones.geojson)",
                "is a folder; --out names the zones file to write (e.g. zones.geojson)"));
        if (!force)
            foreach (var path in new[] { zonesPath, matchPath })
                if (File.Exists(path))
                    throw new CepGeoInputException(path, null, new Phrase("existe déjà ; choisissez un autre --out ou ajoutez --force",
                        "already exists; choose another --out or add --force"));
        return (zonesPath, matchPath);
    }

    private static int Run(CliContext context, ZoneListSpec spec, string? weightsField, string outPath, bool force, bool padCodes)
    {
        var (zonesPath, matchPath) = Targets(outPath, force);

        var (build, crs, padded, notes) = context.Busy(context.T("construction des zones (fusion des communes)…", "building the zones (dissolving communes)…"),
            _ => ZoneListFiles.Build(spec, weightsField, padCodes));
        WriteZones(build, crs, Path.GetFileName(spec.CommunesPath), weightsField, zonesPath, matchPath);

        var text = context.Text;
        EncodingNotes.Print(context, notes);
        if (padCodes)
            context.Console.WriteLine(text.T($"--pad-codes : {text.Count(padded, "code à 4 chiffres complété", "", "codes à 4 chiffres complétés")} d'un zéro initial",
                $"--pad-codes: {text.Count(padded, "", "4-digit code")} given back a leading zero"));
        Print(context, build, spec, Path.GetFileName(matchPath));
        context.Console.WriteLine(text.T("Fichiers écrits :", "Outputs:"));
        context.Console.WriteLine("  " + zonesPath);
        context.Console.WriteLine("  " + matchPath);
        return build.AllMatched ? 0 : UnmatchedExitCode;
    }

    /// <summary>
    /// The counts, then the first problems (unmatched codes first), then where the rest is: a list damaged by
    /// Excel once printed 2 137 lines and the summary scrolled away (issue 25).
    /// </summary>
    private static void Print(CliContext context, ZoneBuild build, ZoneListSpec spec, string matchFile)
    {
        var console = context.Console;
        var text = context.Text;
        var c = build.Counts;
        console.MarkupLine(Markup.Escape(text.T(
            $"{text.Count(build.Zones.Count, "zone", "zone")} à partir de {text.Count(c.Rows, "ligne", "row")} de {Path.GetFileName(spec.MembersPath)} sur {text.Count(c.Communes, "commune", "commune")} de {Path.GetFileName(spec.CommunesPath)}",
            $"{text.Count(build.Zones.Count, "zone", "zone")} from {text.Count(c.Rows, "ligne", "row")} of {Path.GetFileName(spec.MembersPath)} over {text.Count(c.Communes, "commune", "commune")} of {Path.GetFileName(spec.CommunesPath)}")));
        var table = new Table().AddColumns(text.T("correspondance", "match"), text.T("nombre", "count"));
        table.AddRow(text.T("codes trouvés directement", "codes matched directly"), text.Int(c.Direct));
        table.AddRow(text.T("codes résolus comme arrondissements", "codes resolved as arrondissements"), text.Int(c.ThroughArrondissement));
        table.AddRow(text.T("codes rattachés par la table de passage", "codes bringing communes through the crosswalk"), text.Int(c.ThroughCrosswalk));
        string unmatched = text.T("codes sans polygone de commune", "codes with no commune polygon");
        table.AddRow(c.Unmatched > 0 ? $"[red]{unmatched}[/]" : unmatched, text.Int(c.Unmatched));
        table.AddRow(text.T("communes dans aucune zone", "communes in no zone"), text.Int(c.Communes - c.Assigned));
        table.AddRow(text.T("communes revendiquées par deux zones", "communes claimed by two zones"), text.Int(build.Of(MatchKinds.ClaimedTwice).Count()));
        table.AddRow(text.T("revendications écartées par une inscription directe", "claims overruled by a direct listing"), text.Int(build.Of(MatchKinds.Overruled).Count()));
        table.AddRow(text.T("zones sans polygone", "zones with no polygon"), text.Int(build.Of(MatchKinds.EmptyZone).Count()));
        console.Write(table);

        if (build.Report.Count == 0) return;
        // Problems before resolutions (a crosswalk or arrondissement resolution is not a problem).
        var shown = build.Report.OrderBy(e => e.Kind is MatchKinds.Crosswalk or MatchKinds.Arrondissement ? 1 : 0).Take(ConsoleReportLines).ToList();
        var details = new Table().AddColumns(text.T("type", "kind"), "code", "zone", text.T("résolu en", "resolved to"), text.T("détail", "detail"));
        foreach (var e in shown)
            details.AddRow(Markup.Escape(KindText(e.Kind, text)), Markup.Escape(e.Code), Markup.Escape(e.ZoneCodes), Markup.Escape(e.ResolvedTo), Markup.Escape(e.DetailIn(text.French)));
        console.Write(details);
        int hidden = build.Report.Count - shown.Count;
        if (hidden > 0)
            console.MarkupLine(Markup.Escape(text.T($"… et {text.Count(hidden, "autre ligne", "", "autres lignes")} dans {matchFile} (le rapport complet)",
                $"… and {text.Count(hidden, "", "more line")} in {matchFile} (the whole report)")));
    }

    /// <summary>A kind of the match report as the console shows it (the .match.csv keeps the code, e.g. unmatched_code).</summary>
    private static string KindText(string kind, ConsoleText text) => !text.French ? kind : kind switch
    {
        MatchKinds.Unmatched => "code sans commune",
        MatchKinds.ClaimedTwice => "commune revendiquée deux fois",
        MatchKinds.Overruled => "revendication écartée",
        MatchKinds.Unassigned => "commune sans zone",
        MatchKinds.EmptyZone => "zone vide",
        MatchKinds.Arrondissement => "arrondissement",
        MatchKinds.Crosswalk => "table de passage",
        MatchKinds.Derived => "dérivée",
        _ => kind,
    };

    /// <summary>Writes beside the target then moves it into place, so a failure leaves no half-written file.</summary>
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        string temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using (var stream = File.Create(temp)) write(stream);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
