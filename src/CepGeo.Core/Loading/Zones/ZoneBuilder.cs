using System.Globalization;
using CepGeo.Core.Common;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading.Zones;

/// <summary>
/// Turns a commune list (commune → zone) into zone polygons: match each listed code to the commune
/// polygons of the map, then dissolve each zone's communes with a coverage union.
/// </summary>
/// <remarks>
/// Matching, for each row of the list, in order of precedence:
/// <list type="number">
/// <item>direct: the code is a commune of the map;</item>
/// <item>arrondissement: an arrondissement municipal (75101…, 69381…, 13201…) whose commune is in the
/// map (or a Paris/Lyon/Marseille code whose arrondissements are), when the code itself is not;</item>
/// <item>crosswalk: the codes the crosswalk relates it to in either direction, and the other codes of
/// the same target (the communes merged with it), when they are in the map.</item>
/// </list>
/// A polygon claimed at several levels goes to the zones of the best level; other claims are reported
/// as overruled. Two zones at the same level both get it (a double coverage the analysis will show),
/// and the report says so: nothing is dropped silently.
/// </remarks>
public static class ZoneBuilder
{
    private enum Level { Direct = 0, Arrondissement = 1, Crosswalk = 2 }

    private readonly record struct Claim(int Zone, Level Level, int Row);

    /// <param name="communes">The commune polygons, <see cref="Feature.Id"/> being the commune code (valid geometries).</param>
    /// <param name="communesSource">The map's name in messages.</param>
    /// <param name="members">The list's rows.</param>
    /// <param name="crosswalk">Optional crosswalk between the list's and the map's vintages.</param>
    /// <param name="weightsField">Optional numeric property of the communes to sum per zone.</param>
    public static ZoneBuild Build(IReadOnlyList<Feature> communes, string communesSource, IReadOnlyList<ZoneMember> members,
        Crosswalk? crosswalk = null, string? weightsField = null)
    {
        ArgumentNullException.ThrowIfNull(communes);
        ArgumentNullException.ThrowIfNull(members);
        var index = new Dictionary<string, int>(communes.Count, StringComparer.Ordinal);
        for (int i = 0; i < communes.Count; i++) index[communes[i].Id] = i;
        double[]? weights = weightsField is null ? null : Weights(communes, communesSource, weightsField);

        var (zoneCodes, zoneNames, zoneOf) = Zones(members);
        var claims = new List<Claim>[communes.Count];
        var rowLevels = new Level?[members.Count];
        for (int r = 0; r < members.Count; r++)
        {
            foreach (var (polygon, level) in Resolve(members[r].CommuneCode, index, crosswalk))
            {
                (claims[polygon] ??= []).Add(new Claim(zoneOf[r], level, r));
                rowLevels[r] = rowLevels[r] is Level l && l < level ? l : level;
            }
        }

        var report = new List<MatchEntry>();
        var zoneMembers = Assign(communes, claims, members, zoneCodes, report, out var gained);
        ReportRows(communes, members, index, crosswalk, communesSource, rowLevels, gained, report);
        ReportUnassigned(communes, claims, crosswalk, report);

        var listed = new int[zoneCodes.Count];
        foreach (int z in zoneOf) listed[z]++;
        var geometries = new Geometry?[zoneCodes.Count];
        Parallel.For(0, zoneCodes.Count, z =>
        {
            if (zoneMembers[z].Count > 0)
                geometries[z] = FaceUnion.UnionOfFaces(zoneMembers[z].Select(i => communes[i].Geometry).ToArray());
        });

        var zones = new List<BuiltZone>();
        for (int z = 0; z < zoneCodes.Count; z++)
        {
            if (geometries[z] is not Geometry geometry)
            {
                report.Add(new MatchEntry(MatchKinds.EmptyZone, zoneCodes[z], zoneCodes[z], "",
                    new Phrase(string.Create(CultureInfo.InvariantCulture, $"aucun de ses {listed[z]} codes ne correspond à une commune : la zone n'a pas de polygone et est laissée de côté"),
                        string.Create(CultureInfo.InvariantCulture, $"none of its {listed[z]} codes matched a commune: the zone has no polygon and is left out"))));
                continue;
            }
            var ids = zoneMembers[z].Select(i => communes[i].Id).ToList();
            double? weight = weights is null ? null : zoneMembers[z].Sum(i => weights[i]);
            zones.Add(new BuiltZone(zoneCodes[z], zoneNames[z] ?? zoneCodes[z], geometry, ids, listed[z], weight));
        }

        var ordered = MatchKinds.Order.SelectMany(k => report.Where(e => e.Kind == k)).ToList();
        var counts = new MatchCounts(members.Count,
            rowLevels.Count(l => l == Level.Direct),
            report.Count(e => e.Kind == MatchKinds.Crosswalk),
            report.Count(e => e.Kind == MatchKinds.Arrondissement),
            rowLevels.Count(l => l is null),
            communes.Count,
            claims.Count(c => c is not null));
        return new ZoneBuild(zones, ordered, counts);
    }

    /// <summary>Zones in order of first appearance; the name is the first non-blank one given.</summary>
    private static (List<string> Codes, List<string?> Names, int[] ZoneOfRow) Zones(IReadOnlyList<ZoneMember> members)
    {
        var codes = new List<string>();
        var names = new List<string?>();
        var byCode = new Dictionary<string, int>(StringComparer.Ordinal);
        var zoneOf = new int[members.Count];
        for (int r = 0; r < members.Count; r++)
        {
            var m = members[r];
            if (!byCode.TryGetValue(m.ZoneCode, out int z))
            {
                byCode[m.ZoneCode] = z = codes.Count;
                codes.Add(m.ZoneCode);
                names.Add(null);
            }
            names[z] ??= m.ZoneName;
            zoneOf[r] = z;
        }
        return (codes, names, zoneOf);
    }

    /// <summary>The polygons a list code stands for, with how each was found.</summary>
    private static IEnumerable<(int Polygon, Level Level)> Resolve(string code, Dictionary<string, int> index, Crosswalk? crosswalk)
    {
        bool direct = index.TryGetValue(code, out int self);
        if (direct) yield return (self, Level.Direct);
        else
        {
            foreach (string other in Arrondissements.Counterparts(code))
                if (index.TryGetValue(other, out int p)) yield return (p, Level.Arrondissement);
        }
        if (crosswalk is null) yield break;
        foreach (string related in Related(code, crosswalk))
            if (related != code && index.TryGetValue(related, out int p))
                yield return (p, Level.Crosswalk);
    }

    /// <summary>
    /// Codes related to <paramref name="code"/> through the crosswalk: its images, its preimages, and the
    /// other preimages of its images (the communes it merged with, when the list is of the map's vintage
    /// or of one in between).
    /// </summary>
    private static IEnumerable<string> Related(string code, Crosswalk crosswalk)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { code };
        foreach (string to in crosswalk.Forward(code))
        {
            if (seen.Add(to)) yield return to;
            foreach (string sibling in crosswalk.Backward(to))
                if (seen.Add(sibling)) yield return sibling;
        }
        foreach (string from in crosswalk.Backward(code))
            if (seen.Add(from)) yield return from;
    }

    /// <summary>Gives each claimed polygon to the zones of its best claim level; reports conflicts.</summary>
    private static List<int>[] Assign(IReadOnlyList<Feature> communes, List<Claim>[] claims, IReadOnlyList<ZoneMember> members,
        List<string> zoneCodes, List<MatchEntry> report, out List<int>?[] gained)
    {
        var zoneMembers = Enumerable.Range(0, zoneCodes.Count).Select(_ => new List<int>()).ToArray();
        var kept = new List<int>?[members.Count];
        gained = kept;
        for (int p = 0; p < claims.Length; p++)
        {
            if (claims[p] is not { } list) continue;
            var best = list.Min(c => c.Level);
            var winners = list.Where(c => c.Level == best).Select(c => c.Zone).Distinct().ToList();
            foreach (int z in winners) zoneMembers[z].Add(p);
            // A row reaching a polygon its own zone keeps (at whatever level) resolved it: report it so.
            foreach (var c in list.Where(c => winners.Contains(c.Zone))) (kept[c.Row] ??= []).Add(p);

            if (winners.Count > 1)
            {
                string what = Describe(communes[p]);
                report.Add(new MatchEntry(MatchKinds.ClaimedTwice, communes[p].Id, string.Join(' ', winners.Select(z => zoneCodes[z])),
                    communes[p].Id, new Phrase($"{what} est revendiquée par {winners.Count} zones ("
                    + string.Join(" ; ", list.Where(c => c.Level == best).Select(c => ClaimText(c, members, zoneCodes, true)))
                    + ") : elle est mise dans chacune",
                    $"{what} is claimed by {winners.Count} zones ("
                    + string.Join("; ", list.Where(c => c.Level == best).Select(c => ClaimText(c, members, zoneCodes, false)))
                    + "): it is put in each of them")));
            }
        }
        // A losing claim matters only when its row kept no polygon at all (a 2018 code of a list
        // placing part of a later merged commune in another zone): its territory went elsewhere. A row
        // whose own code is a commune of the map merely loses the communes it merged with later.
        for (int p = 0; p < claims.Length; p++)
        {
            if (claims[p] is not { } list) continue;
            var best = list.Min(c => c.Level);
            var winners = list.Where(c => c.Level == best).Select(c => c.Zone).Distinct().ToList();
            string what = Describe(communes[p]);
            var losers = list.Where(c => !winners.Contains(c.Zone) && kept[c.Row] is null).ToList();
            foreach (var group in losers.GroupBy(c => c.Zone))
            {
                report.Add(new MatchEntry(MatchKinds.Overruled, communes[p].Id, zoneCodes[group.Key], communes[p].Id, new Phrase(
                    $"{what} est atteinte par la zone {zoneCodes[group.Key]} ("
                    + string.Join(" ; ", group.Select(c => ClaimText(c, members, zoneCodes, true)))
                    + $") mais inscrite {LevelText(best, true)} dans la zone {string.Join(" et ", winners.Select(z => zoneCodes[z]))}, qui la garde",
                    $"{what} is reached by zone {zoneCodes[group.Key]} ("
                    + string.Join("; ", group.Select(c => ClaimText(c, members, zoneCodes, false)))
                    + $") but listed {LevelText(best, false)} in zone {string.Join(" and ", winners.Select(z => zoneCodes[z]))}, which keeps it")));
            }
        }
        return zoneMembers;
    }

    private static string ClaimText(Claim c, IReadOnlyList<ZoneMember> members, List<string> zoneCodes, bool french) => french
        ? $"{zoneCodes[c.Zone]} par {members[c.Row].CommuneCode} {LevelText(c.Level, true)}, ligne {members[c.Row].Line}"
        : $"{zoneCodes[c.Zone]} via {members[c.Row].CommuneCode} {LevelText(c.Level, false)}, line {members[c.Row].Line}";

    private static string LevelText(Level level, bool french) => level switch
    {
        Level.Direct => french ? "directement" : "directly",
        Level.Arrondissement => french ? "comme arrondissement" : "as an arrondissement",
        _ => french ? "par la table de passage" : "through the crosswalk",
    };

    /// <summary>Crosswalk and arrondissement resolutions, and the codes that found nothing.</summary>
    private static void ReportRows(IReadOnlyList<Feature> communes, IReadOnlyList<ZoneMember> members, Dictionary<string, int> index,
        Crosswalk? crosswalk, string communesSource, Level?[] rowLevels, List<int>?[] gained, List<MatchEntry> report)
    {
        var departments = new HashSet<string>(index.Keys.Select(Department), StringComparer.Ordinal);
        for (int r = 0; r < members.Count; r++)
        {
            var m = members[r];
            if (rowLevels[r] is null)
            {
                var why = WhyUnmatched(m.CommuneCode, index, departments, crosswalk, communesSource);
                report.Add(new MatchEntry(MatchKinds.Unmatched, m.CommuneCode, m.ZoneCode, "",
                    new Phrase($"ligne {m.Line} : {why.Fr}", $"line {m.Line}: {why.En}")));
                continue;
            }
            var resolved = gained[r] ?? [];
            var viaArrondissement = resolved.Where(p => communes[p].Id != m.CommuneCode && !index.ContainsKey(m.CommuneCode)
                && Arrondissements.Counterparts(m.CommuneCode).Contains(communes[p].Id)).ToList();
            if (viaArrondissement.Count > 0)
            {
                string found = string.Join(", ", viaArrondissement.Select(p => Describe(communes[p])));
                report.Add(new MatchEntry(MatchKinds.Arrondissement, m.CommuneCode, m.ZoneCode, Codes(communes, viaArrondissement), new Phrase(
                    $"ligne {m.Line} : {Arrondissements.Describe(m.CommuneCode, true)} ; la carte a {found}",
                    $"line {m.Line}: {Arrondissements.Describe(m.CommuneCode)}; the map has {found}")));
            }
            var viaCrosswalk = resolved.Where(p => communes[p].Id != m.CommuneCode && !viaArrondissement.Contains(p)).ToList();
            if (viaCrosswalk.Count > 0)
            {
                bool inMap = index.ContainsKey(m.CommuneCode);
                string prefix = inMap ? $"{m.CommuneCode} is in the map, and also stands for" : "not in the map; stands for";
                string prefixFr = inMap ? $"{m.CommuneCode} est dans la carte, et représente aussi" : "absent de la carte ; représente";
                string found = string.Join(", ", viaCrosswalk.Select(p => Describe(communes[p])));
                report.Add(new MatchEntry(MatchKinds.Crosswalk, m.CommuneCode, m.ZoneCode, Codes(communes, viaCrosswalk), new Phrase(
                    $"ligne {m.Line} : {prefixFr} {found} dans {crosswalk!.Source}",
                    $"line {m.Line}: {prefix} {found} in {crosswalk!.Source}")));
            }
        }
    }

    private static Phrase WhyUnmatched(string code, Dictionary<string, int> index, HashSet<string> departments, Crosswalk? crosswalk, string map)
    {
        if (code.Length == 4 && code.All(char.IsAsciiDigit) && index.ContainsKey("0" + code))
            return new($"absent de {map} ; sans doute 0{code}, dont le zéro initial s'est perdu (un tableur a fait du code un nombre ; voir --pad-codes)",
                $"not in {map}; probably 0{code} with its leading zero lost (a spreadsheet turned the code into a number)");
        if (code.Length is 5 && !departments.Contains(Department(code)))
            return new($"absent de {map}, qui n'a aucune commune dans le département {Department(code)}",
                $"not in {map}, which has no commune in département {Department(code)}");
        if (crosswalk is not null && crosswalk.Knows(code))
            return new($"absent de {map}, et aucun des codes que {crosswalk.Source} lui associe ({string.Join(", ", Related(code, crosswalk))}) n'est dans la carte",
                $"not in {map}, and none of the codes {crosswalk.Source} relates it to ({string.Join(", ", Related(code, crosswalk))}) is in the map");
        if (Arrondissements.Counterparts(code).Any())
            return new($"absent de {map} ; {Arrondissements.Describe(code, true)}, absent de la carte aussi",
                $"not in {map}; {Arrondissements.Describe(code)}, not in the map either");
        return crosswalk is null
            ? new($"absent de {map} ; si la liste et la carte sont d'années différentes, donnez une table de passage (--crosswalk)",
                $"not in {map}; if the list and the map are of different years, give a crosswalk (--crosswalk)")
            : new($"absent de {map} et de {crosswalk.Source} (une commune créée ou rétablie après l'année de la carte, ou une faute de frappe)",
                $"not in {map} nor in {crosswalk.Source} (a commune created or re-established after the map's year, or a typing error)");
    }

    private static void ReportUnassigned(IReadOnlyList<Feature> communes, List<Claim>[] claims, Crosswalk? crosswalk, List<MatchEntry> report)
    {
        for (int p = 0; p < communes.Count; p++)
        {
            if (claims[p] is not null) continue;
            string code = communes[p].Id;
            string link = "", linkFr = "";
            if (crosswalk is not null && crosswalk.Knows(code))
            {
                string related = string.Join(", ", Related(code, crosswalk));
                link = $"; {crosswalk.Source} relates it to {related}, which no row of the list names either";
                linkFr = $" ; {crosswalk.Source} l'associe à {related}, qu'aucune ligne de la liste ne nomme non plus";
            }
            else if (crosswalk is null)
            {
                link = "; if the list is of a later year than the map (communes merged since), give a crosswalk (--crosswalk)";
                linkFr = " ; si la liste est d'une année postérieure à la carte (communes fusionnées depuis), donnez une table de passage (--crosswalk)";
            }
            report.Add(new MatchEntry(MatchKinds.Unassigned, code, "", "", new Phrase(
                $"{Describe(communes[p])} n'est dans aucune zone{linkFr}", $"{Describe(communes[p])} is in no zone{link}")));
        }
    }

    private static string Codes(IReadOnlyList<Feature> communes, IEnumerable<int> polygons) =>
        string.Join(' ', polygons.Select(p => communes[p].Id));

    private static string Describe(Feature commune) =>
        commune.Name == commune.Id ? commune.Id : $"{commune.Id} ({commune.Name})";

    /// <summary>INSEE département of a commune code: 3 characters overseas (971…), else 2 (01…, 2A, 2B).</summary>
    internal static string Department(string code) =>
        code.Length >= 3 && code.StartsWith("97", StringComparison.Ordinal) ? code[..3] : code[..Math.Min(2, code.Length)];

    private static double[] Weights(IReadOnlyList<Feature> communes, string source, string field)
    {
        var values = new double[communes.Count];
        for (int i = 0; i < communes.Count; i++)
        {
            var f = communes[i];
            if (!f.Attributes.TryGetValue(field, out var v) || v is null)
                throw new CepGeoInputException(source, f.Id, new Phrase($"pas de valeur dans \"{field}\" (--weights)", $"no value in \"{field}\" (--weights)"));
            double d = v switch
            {
                double x => x,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) => x,
                _ => double.NaN,
            };
            if (!double.IsFinite(d))
                throw new CepGeoInputException(source, f.Id, new Phrase($"\"{field}\" = {v} n'est pas un nombre (--weights)", $"\"{field}\" = {v} is not a number (--weights)"));
            values[i] = d;
        }
        return values;
    }
}
