using System.CommandLine;
using System.Globalization;
using CepGeo.Core.Design;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>What the three <c>design</c> commands share: the study argument, --out/--force, analysing, writing, printing.</summary>
internal static class DesignCommon
{
    public static Argument<string> Study() => new("study") { Description = "The study file (study.json)" };

    public static Option<string?> Out() => new("--out", "-o") { Description = "Output folder (default: out/design-<mode>)" };

    public static Option<bool> Force() => new("--force") { Description = "Write into a non-empty folder CepGeo did not create" };

    public static Option<string?> Operators() => new("--operators") { Description = "Operator keys to fit, comma-separated (default: all)" };

    public static AnalysisResult Analyse(string studyPath) =>
        Analysis.Run(StudyFiles.Read(studyPath), StudyFiles.LoadLayer, StudyFiles.LoadWeights, StepMemory.Release);

    public static IReadOnlyList<string> OperatorKeys(AnalysisResult r, string? option)
    {
        var keys = option is null
            ? r.Infos.Skip(1).Select(i => i.Key).ToList()
            : option.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var k in keys) Snap.OperatorLayer(r, k);
        if (keys.Count == 0) throw new CepGeoInputException("--operators", null, "no operator key given");
        return keys;
    }

    /// <summary>Writes the design's files, prints the before → after table and where the files are.</summary>
    public static int Finish(CliContext context, DesignResult d, string? outDir, bool force)
    {
        outDir ??= Path.Combine("out", "design-" + d.Kind);
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(d.Before.Study));
        DesignOutputs.WriteAll(d, folder.Create, CliApp.Version);
        string target = folder.Commit();

        var console = context.Console;
        console.MarkupLine($"[bold]{Markup.Escape(d.Before.Study.Name)}[/] — design {d.Kind}: "
            + $"{d.After.Cells.Features.Count} perimeters (current cells: {d.Before.Cells.Features.Count})");
        console.WriteLine(d.Method);
        var table = new Table().AddColumns("operator", "misfit km² before → after", "alignment before → after",
            "pop. alignment before → after", "mean partners before → after", "coterminous % before → after");
        foreach (var t in d.Totals)
            table.AddRow(Markup.Escape(t.Operator + (d.Operators.Contains(t.Operator) ? " *" : "")),
                $"{F(t.MisfitKm2Before, "0.0")} → {F(t.MisfitKm2After, "0.0")}",
                $"{F(t.AlignmentBefore, "0.000")} → {F(t.AlignmentAfter, "0.000")}",
                t.PopAlignmentBefore is double pb && t.PopAlignmentAfter is double pa ? $"{F(pb, "0.000")} → {F(pa, "0.000")}" : "—",
                $"{F(t.PartnersMeanBefore, "0.00")} → {F(t.PartnersMeanAfter, "0.00")}",
                $"{F(t.CoterminousPctBefore, "0.0")} → {F(t.CoterminousPctAfter, "0.0")}");
        console.Write(table);
        console.WriteLine("* operators the design was asked to fit");
        console.WriteLine(d.Before.HasWeights
            ? $"Moved: {F(d.MovedPop, "0")} people, {F(d.MovedAreaKm2, "0.0")} km² (rows of moves.csv with moved = true)"
            : $"Moved: {F(d.MovedAreaKm2, "0.0")} km² (rows of moves.csv with moved = true)");
        console.WriteLine("Outputs:");
        foreach (var name in DesignOutputs.FileNames(d))
            console.WriteLine("  " + Path.Combine(target, name));
        return 0;
    }

    public static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
