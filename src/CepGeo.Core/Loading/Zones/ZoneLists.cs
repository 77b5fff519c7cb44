using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading.Zones;

/// <summary>One row of a commune list: this commune belongs to this zone.</summary>
/// <param name="CommuneCode">The commune code as written (text: leading zeros and 2A/2B kept).</param>
/// <param name="ZoneCode">The zone it belongs to.</param>
/// <param name="ZoneName">The zone's name, or null when the list has no name column (or leaves it blank).</param>
/// <param name="Line">Line in the list file, for messages.</param>
public sealed record ZoneMember(string CommuneCode, string ZoneCode, string? ZoneName, int Line);

/// <summary>
/// Pairs of commune codes of two vintages (e.g. 2018 → 2026). Used in either direction: merged
/// communes map many-to-one, a commune split again maps one-to-many.
/// </summary>
public sealed class Crosswalk
{
    private readonly Dictionary<string, List<string>> _forward = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _backward = new(StringComparer.Ordinal);

    public Crosswalk(string source, IEnumerable<(string From, string To)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Source = source;
        foreach (var (from, to) in pairs)
        {
            Add(_forward, from, to);
            Add(_backward, to, from);
        }
    }

    /// <summary>The file it came from, named in the match report.</summary>
    public string Source { get; }

    public int Count => _forward.Values.Sum(v => v.Count);

    /// <summary>Codes the "to" column gives for this "from" code.</summary>
    public IReadOnlyList<string> Forward(string from) => _forward.TryGetValue(from, out var t) ? t : [];

    /// <summary>Codes of the "from" column that lead to this "to" code.</summary>
    public IReadOnlyList<string> Backward(string to) => _backward.TryGetValue(to, out var f) ? f : [];

    public bool Knows(string code) => _forward.ContainsKey(code) || _backward.ContainsKey(code);

    private static void Add(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(value, StringComparer.Ordinal)) list.Add(value);
    }
}

/// <summary>Reads commune lists and crosswalks from CSV (see <see cref="CsvTable"/>).</summary>
public static class ZoneLists
{
    /// <summary>The membership rows of a commune list. Rows with a blank commune or zone code are an error naming the line.</summary>
    public static IReadOnlyList<ZoneMember> ReadMembers(Stream csv, string source, string memberCode, string zoneCode, string? zoneName)
    {
        var table = CsvTable.Read(csv, source);
        int code = table.Column(memberCode, "--member-code");
        int zone = table.Column(zoneCode, "--zone-code");
        int? name = zoneName is null ? null : table.Column(zoneName, "--zone-name");
        var members = new List<ZoneMember>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            string c = row.Fields[code], z = row.Fields[zone];
            if (c.Length == 0) throw new CepGeoInputException(source, null, new Phrase($"ligne {row.Line} : pas de code commune dans \"{memberCode}\"", $"line {row.Line}: no commune code in \"{memberCode}\""));
            if (z.Length == 0) throw new CepGeoInputException(source, null, new Phrase($"ligne {row.Line} : la commune {c} n'a pas de code de zone dans \"{zoneCode}\"",
                $"line {row.Line}: commune {c} has no zone code in \"{zoneCode}\""));
            string? n = name is int i && row.Fields[i].Length > 0 ? row.Fields[i] : null;
            members.Add(new ZoneMember(c, z, n, row.Line));
        }
        if (members.Count == 0) throw new CepGeoInputException(source, null, new Phrase("la liste a une ligne d'en-tête mais aucune ligne de données", "the list has a header but no rows"));
        return members;
    }

    /// <summary>A crosswalk from two columns of a CSV; rows with a blank code on either side are left out.</summary>
    /// <summary>
    /// Restores the leading zero of 4-digit commune codes ("4001" → "04001"): a list saved by Excel read
    /// the codes of départements 01–09 as numbers. Returns the list and how many codes were padded.
    /// </summary>
    public static (IReadOnlyList<ZoneMember> Members, int Padded) PadCodes(IReadOnlyList<ZoneMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        int padded = 0;
        var result = new List<ZoneMember>(members.Count);
        foreach (var m in members)
        {
            string code = m.CommuneCode.Trim();
            if (code.Length == 4 && code.All(char.IsAsciiDigit))
            {
                result.Add(m with { CommuneCode = "0" + code });
                padded++;
            }
            else
            {
                result.Add(m);
            }
        }
        return (result, padded);
    }

    public static Crosswalk ReadCrosswalk(Stream csv, string source, string fromField, string toField)
    {
        var table = CsvTable.Read(csv, source);
        int from = table.Column(fromField, "--from-field");
        int to = table.Column(toField, "--to-field");
        return new Crosswalk(source, table.Rows
            .Where(r => r.Fields[from].Length > 0 && r.Fields[to].Length > 0)
            .Select(r => (r.Fields[from], r.Fields[to])));
    }
}
