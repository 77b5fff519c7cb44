using System.CommandLine;
using System.Globalization;
using CepGeo.Core.Design;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>What the three <c>design</c> commands share: the study argument, --out/--force, analysing, writing, printing.</summary>
internal static class DesignCommon
{
    public static Argument<string> Study(CliContext c) => new("study") { Description = c.T("Le fichier d'étude (study.json)", "The study file (study.json)") };

    public static Option<string?> Out(CliContext c) => new("--out", "-o")
    {
        Description = c.T("Dossier de sortie (défaut : out/<dossier de l'étude>/design-<mode>)", "Output folder (default: out/<study folder>/design-<mode>)"),
    };

    public static Option<bool> Force(CliContext c) => new("--force") { Description = c.T("Écrire dans un dossier non vide que CepGeo n'a pas créé", "Write into a non-empty folder CepGeo did not create") };

    public static Option<string?> Operators(CliContext c) => new("--operators")
    {
        Description = c.T("Clés des opérateurs à suivre, séparées par des virgules (défaut : tous)", "Operator keys to fit, comma-separated (default: all)"),
    };

    /// <summary>
    /// <c>out/&lt;study folder&gt;/design-&lt;mode&gt;</c>, beside the study's analysis (<c>out/&lt;study folder&gt;</c>):
    /// a second study's design no longer replaces the first's.
    /// </summary>
    public static string DefaultFolder(string studyPath, string kind) =>
        Path.Combine("out", new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(studyPath))!).Name, "design-" + kind);

    /// <summary>The study's analysis, without progress (callers that have no console).</summary>
    public static AnalysisResult Analyse(string studyPath) =>
        Analysis.Run(StudyFiles.Read(studyPath), StudyFiles.LoadLayer, StudyFiles.LoadWeights, StepMemory.Release, loadSites: StudyFiles.LoadSites);

    /// <summary>The study's analysis, under a spinner naming each step at a terminal.</summary>
    public static AnalysisResult Analyse(CliContext context, string studyPath, CancellationToken cancel = default)
    {
        var study = StudyFiles.Read(studyPath);
        return context.Busy(AnalyzeCommand.StepName(context.Text, Analysis.StepLoad) + "…", status =>
            Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, step =>
            {
                status(AnalyzeCommand.StepName(context.Text, step) + "…");
                StepMemory.Release(step);
            }, cancel, loadSites: StudyFiles.LoadSites));
    }

    public static IReadOnlyList<string> OperatorKeys(AnalysisResult r, string? option)
    {
        var keys = option is null
            ? r.Infos.Skip(1).Select(i => i.Key).ToList()
            : option.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var k in keys) Snap.OperatorLayer(r, k);
        if (keys.Count == 0) throw new CepGeoInputException("--operators", null, new Phrase("aucune clé d'opérateur donnée", "no operator key given"));
        return keys;
    }

    /// <summary>Writes the design's files, prints the before → after table and where the files are.</summary>
    public static int Finish(CliContext context, DesignResult d, string studyPath, string? outDir, bool force)
    {
        outDir ??= DefaultFolder(studyPath, d.Kind);
        // Spec §9 on the proposed perimeters (the sites and distances are today's; the sums are per perimeter).
        d = d with { After = d.After with { SiteComparisons = SitesStep.Remeasure(d.After, d.Before) } };
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(d.Before.Study));
        var exportFiles = ExportFiles.WriteBeside(d.After, folder, CliApp.Version,
            () => DesignOutputs.WriteAll(d, folder.Create, CliApp.Version), DesignOutputs.Tables(d));
        string target = folder.Commit();

        var console = context.Console;
        var text = context.Text;
        string F(double v, string format) => text.N(v, format);
        console.MarkupLine($"[bold]{Markup.Escape(d.Before.Study.Name)}[/] — " + Markup.Escape(text.T(
            $"proposition {d.Kind} : {text.Count(d.After.Cells.Features.Count, "périmètre", "perimeter")} (territoires actuels : {d.Before.Cells.Features.Count})",
            $"design {d.Kind}: {text.Count(d.After.Cells.Features.Count, "périmètre", "perimeter")} (current cells: {d.Before.Cells.Features.Count})")));
        console.WriteLine(d.Method);
        var table = new Table().AddColumns(text.T("opérateur", "operator"), text.T("désalignement km² avant → après", "misfit km² before → after"),
            text.T("alignement avant → après", "alignment before → after"), text.T("alignement en population avant → après", "pop. alignment before → after"),
            text.T("interlocuteurs (moy.) avant → après", "mean partners before → after"), text.T("mêmes limites % avant → après", "coterminous % before → after"));
        foreach (var t in d.Totals)
            table.AddRow(Markup.Escape(t.Operator + (d.Operators.Contains(t.Operator) ? " *" : "")),
                $"{F(t.MisfitKm2Before, "0.0")} → {F(t.MisfitKm2After, "0.0")}",
                $"{F(t.AlignmentBefore, "0.000")} → {F(t.AlignmentAfter, "0.000")}",
                t.PopAlignmentBefore is double pb && t.PopAlignmentAfter is double pa ? $"{F(pb, "0.000")} → {F(pa, "0.000")}" : "—",
                $"{F(t.PartnersMeanBefore, "0.00")} → {F(t.PartnersMeanAfter, "0.00")}",
                $"{F(t.CoterminousPctBefore, "0.0")} → {F(t.CoterminousPctAfter, "0.0")}");
        console.Write(table);
        console.WriteLine(text.T("* opérateurs que la proposition devait suivre", "* operators the design was asked to fit"));
        console.WriteLine(d.Before.HasWeights
            ? text.T($"Changent de territoire : {text.Int((long)Math.Round(d.MovedPop))} habitants, {F(d.MovedAreaKm2, "#,0.0")} km² (lignes de moves.csv où moved = true)",
                $"Moved: {F(d.MovedPop, "#,0")} people, {F(d.MovedAreaKm2, "#,0.0")} km² (rows of moves.csv with moved = true)")
            : text.T($"Changent de territoire : {F(d.MovedAreaKm2, "#,0.0")} km² (lignes de moves.csv où moved = true)",
                $"Moved: {F(d.MovedAreaKm2, "#,0.0")} km² (rows of moves.csv with moved = true)"));
        console.WriteLine(text.T("Fichiers écrits :", "Outputs:"));
        foreach (var name in DesignOutputs.FileNames(d).Concat(exportFiles))
            console.WriteLine("  " + Path.Combine(target, name));
        return 0;
    }

    public static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
