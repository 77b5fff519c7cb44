using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>The file side of a study: finding it, reading it, opening its layers. Shared by analyze, validate and view.</summary>
internal static class StudyFiles
{
    /// <summary>The demo study that ships with the project, found from the working folder or from the program's folder.</summary>
    public static string DemoStudyPath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", "demo", "study.json");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new CepGeoInputException("data/demo/study.json", null, new Phrase(
            "aucune étude donnée et l'étude de démonstration est introuvable ; lancez 'cepgeo demo generate' ou donnez un fichier d'étude",
            "no study given and the demo study was not found; run 'cepgeo demo generate' or give a study file"));
    }

    /// <summary>
    /// Reads and validates a study file; every layer file must exist, be a regular file, and the
    /// layers total at most <paramref name="maxMb"/> MiB (the study file too, alone).
    /// </summary>
    public static Study Read(string path, string? crsOverride = null, int maxMb = InputLimit.DefaultMaxMb)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CepGeoInputException("study", null, new Phrase("le chemin de l'étude est vide", "the study path is empty"));
        string full = Path.GetFullPath(path);
        InputLimit.CheckFile(full, path, maxMb);
        if (!File.Exists(full))
            throw new CepGeoInputException(path, null, new Phrase("fichier d'étude introuvable", "study file not found"));
        Study study;
        using (var stream = File.OpenRead(full))
            study = StudyReader.Read(stream, Path.GetFileName(full), Path.GetDirectoryName(full)!);
        if (crsOverride is not null)
            study = study with { Crs = crsOverride };
        var missing = new List<string>();
        foreach (var (field, file) in LayerPaths(study))
            if (!File.Exists(file))
                missing.Add($"{field} → {file}");
        if (missing.Count > 0)
            throw new CepGeoInputException(Path.GetFileName(full), null, new Phrase(
                "fichier de couche introuvable : " + string.Join(" ; ", missing), "layer file not found: " + string.Join("; ", missing)));
        InputLimit.Check(study, Path.GetFileName(full), maxMb);
        return study;
    }

    /// <summary>Every file a study reads: the study file (when given) and its layers, lists and weights; an output folder may hold none of them.</summary>
    public static IEnumerable<string> InputFiles(Study study, string? studyPath = null)
    {
        if (studyPath is not null) yield return studyPath;
        foreach (var (_, file) in LayerPaths(study)) yield return file;
    }

    private static IEnumerable<(string Field, string Path)> LayerPaths(Study study)
    {
        // A PostGIS table is no file.
        if (study.Cells.PostGis is null) yield return ("cells.path", study.Cells.Path);
        for (int i = 0; i < study.Operators.Count; i++)
        {
            var op = study.Operators[i];
            if (op.PostGis is not null) continue;
            if (op.Members is not { } list)
            {
                yield return ($"operators[{i}].path ({op.Key})", op.Path);
                continue;
            }
            yield return ($"operators[{i}].members ({op.Key})", list.MembersPath);
            yield return ($"operators[{i}].communes ({op.Key})", list.CommunesPath);
            if (list.CrosswalkPath is not null)
                yield return ($"operators[{i}].crosswalk ({op.Key})", list.CrosswalkPath);
        }
        if (study.Weights is not null)
            yield return ("weights.path", study.Weights.Path);
        foreach (var op in study.SiteOperators)
            yield return ($"sites ({op.Key})", op.Sites!.Path);
    }

    /// <summary>Reads a polygon layer, or builds an operator's zones from its commune list (the match report becomes its load report).</summary>
    public static Layer LoadLayer(LayerSpec spec) =>
        spec.PostGis is not null ? PostGisDatabase.LoadLayer(spec)
        : spec.Members is null ? LayerReader.Read(spec.Path, LayerOptions.For(spec)) : ZoneListFiles.LoadLayer(spec);

    public static Layer LoadWeights(WeightsSpec spec) => LayerReader.Read(spec.Path, LayerOptions.For(spec));

    /// <summary>Reads an operator's sites: a point layer, or a CSV of lon/lat or commune codes (spec §9).</summary>
    public static SiteLayer LoadSites(SitesSpec spec)
    {
        if (!spec.IsCsv) return SiteReader.FromLayer(LayerReader.Read(spec.Path, LayerOptions.For(spec)));
        string source = Path.GetFileName(spec.Path);
        try
        {
            using var stream = File.OpenRead(spec.Path);
            return SiteReader.ReadCsv(stream, source, spec);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CepGeoInputException(source, null, new Phrase($"impossible d'ouvrir {spec.Path} : {e.Message}", $"cannot open {spec.Path}: {e.Message}"), e);
        }
    }
}
