using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;
using CepGeo.Core.Loading.Zones;

namespace CepGeo.Cli.Commands;

/// <summary>The file side of a commune list: opening the list, the map and the crosswalk. Shared by <c>zones build</c> and studies.</summary>
internal static class ZoneListFiles
{
    /// <summary>Reads everything the spec names and builds the zones, in the communes' CRS.</summary>
    /// <param name="padCodes">Restore the leading zero of 4-digit commune codes (Excel's damage); <c>Padded</c> says how many.</param>
    /// <returns>Also <c>Notes</c>: the files read in an encoding other than UTF-8 (<see cref="LoadIssue.ReadAs"/>).</returns>
    public static (ZoneBuild Build, CrsRef Crs, int Padded, IReadOnlyList<LoadIssue> Notes) Build(ZoneListSpec spec, string? weightsField = null, bool padCodes = false)
    {
        var notes = new List<LoadIssue>();
        InputLimit.CheckFile(spec.CommunesPath, Path.GetFileName(spec.CommunesPath));
        var communes = LayerRepair.Repair(LayerReader.Read(spec.CommunesPath,
            new LayerOptions(Path.GetFileName(spec.CommunesPath), spec.CodeField, null)));
        notes.AddRange(communes.Report.Where(i => i.Kind == LoadIssueKind.Encoding));
        var members = Open(spec.MembersPath, s => ZoneLists.ReadMembers(s, Path.GetFileName(spec.MembersPath),
            spec.MemberCode, spec.ZoneCode, spec.ZoneName), notes);
        int padded = 0;
        if (padCodes) (members, padded) = ZoneLists.PadCodes(members);
        Crosswalk? crosswalk = null;
        if (spec.CrosswalkPath is not null)
        {
            if (spec.FromField is null || spec.ToField is null)
                throw new CepGeoInputException(Path.GetFileName(spec.CrosswalkPath), null,
                    new Phrase("une table de passage a besoin des noms de ses deux colonnes de codes (--from-field et --to-field)",
                        "a crosswalk needs the names of its two code columns (--from-field and --to-field)"));
            crosswalk = Open(spec.CrosswalkPath, s => ZoneLists.ReadCrosswalk(s, Path.GetFileName(spec.CrosswalkPath),
                spec.FromField, spec.ToField), notes);
        }
        var build = ZoneBuilder.Build(communes.Features, communes.Source, members, crosswalk, weightsField);
        return (build, communes.Crs, padded, notes);
    }

    /// <summary>The zones as an operator layer of a study, the match report as its load report.</summary>
    public static Layer LoadLayer(LayerSpec spec)
    {
        var (build, crs, _, notes) = Build(spec.Members!);
        string source = $"{Path.GetFileName(spec.Members!.MembersPath)} over {Path.GetFileName(spec.Members.CommunesPath)}";
        if (build.Zones.Count == 0)
            throw new CepGeoInputException(source, null, new Phrase("aucun code de la liste ne correspond à une commune de la carte : aucune zone à analyser",
                "no code of the list matched a commune of the map: no zone to analyse"));
        var layer = build.ToLayer(source, crs);
        return notes.Count == 0 ? layer : layer with { Report = [.. notes, .. layer.Report] };
    }

    /// <summary>Reads a CSV list; when its bytes are not UTF-8, a note names the encoding it was read in.</summary>
    private static T Open<T>(string path, Func<Stream, T> read, List<LoadIssue> notes)
    {
        InputLimit.CheckFile(path, Path.GetFileName(path));
        if (!File.Exists(path))
            throw new CepGeoInputException(Path.GetFileName(path), null, new Phrase($"fichier introuvable : {path}", $"file not found: {path}"));
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        string encoding = TextEncodings.Decode(bytes).Encoding;
        if (encoding != "UTF-8") notes.Add(LoadIssue.ReadAs(Path.GetFileName(path), encoding));
        return read(new MemoryStream(bytes, writable: false));
    }
}
