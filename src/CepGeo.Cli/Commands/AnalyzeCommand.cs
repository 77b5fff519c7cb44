using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo analyze [STUDY.json] [--out DIR] [--force]</c>: the whole analysis and its files.</summary>
internal static class AnalyzeCommand
{
    /// <summary>Exit code when the run was cancelled (Ctrl+C), as shells report a SIGINT.</summary>
    public const int CancelledExitCode = CtrlC.ExitCode;

    /// <param name="cancellation">Cancels the run as Ctrl+C does (tests).</param>
    /// <param name="onStep">Also told each pipeline step as it starts (tests).</param>
    public static Command Create(CliContext context, CancellationToken cancellation = default, Action<string>? onStep = null)
    {
        var study = new Argument<string?>("study")
        {
            Description = context.T("Le fichier d'étude (study.json) ; sans lui, l'étude de démonstration de data/demo/",
                "The study file (study.json); without it, the demo study in data/demo/"),
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--out", "-o") { Description = context.T("Dossier de sortie (défaut : out/<dossier de l'étude>)", "Output folder (default: out/<study folder name>)") };
        var force = new Option<bool>("--force") { Description = context.T("Écrire dans un dossier non vide que CepGeo n'a pas créé", "Write into a non-empty folder CepGeo did not create") };
        var crs = new Option<string?>("--crs") { Description = context.T("Remplacer le SCR des surfaces de l'étude (ex. EPSG:3035 ; EPSG:2154 est conforme, pas équivalent)",
            "Override the study's CRS for areas (e.g. EPSG:3035; EPSG:2154 is conformal, not equal-area)") };
        var timings = new Option<bool>("--timings") { Description = context.T("Afficher le temps passé à chaque étape", "Print where the time went, per step") };
        var format = new Option<string>("--tables")
        {
            Description = context.T("Tableaux (pairs, cells, zones) en csv, json ou both (les deux)", "Tables (pairs, cells, zones) as csv, json or both"),
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "json", "both");
        var exports = ExportOptionSet.Create(context.Text);
        var noMaps = new Option<bool>("--no-maps") { Description = context.T("N'écrire ni maps/ ni report.html", "Write no maps/ and no report.html") };
        var maps = MapOptionSet.Create(context.Text);
        var maxInput = new Option<int>("--max-input-mb")
        {
            Description = context.T("Refuser une étude dont les couches dépassent ce nombre de Mo au total", "Refuse a study whose layer files total more than this many MB"),
            DefaultValueFactory = _ => InputLimit.DefaultMaxMb,
            CustomParser = r => InputLimit.ParseMaxMb(r, context.Text),
        };
        var command = new Command("analyze", context.T(
            "Superposer les territoires et chaque réseau d'opérateurs ; écrire les défauts, les tableaux, la synthèse et les cartes",
            "Overlay the cells with every operator layer and write the gap report, tables and summary"))
        {
            study, output, force, crs, timings, format, noMaps, maxInput,
        };
        maps.AddTo(command);
        exports.AddTo(command);
        command.SetAction(parsed => RunCancellable(context, cancellation, onStep, new Request(parsed.GetValue(study), parsed.GetValue(output),
            parsed.GetValue(force), parsed.GetValue(crs), parsed.GetValue(timings), parsed.GetValue(noMaps) ? null : maps.Read(parsed, context.Text),
            parsed.GetValue(maxInput), Tables(parsed.GetValue(format)), exports.Read(parsed))));
        return command;
    }

    /// <summary>What the command line asked for.</summary>
    /// <param name="StudyPath">The study file; null for the demo study.</param>
    /// <param name="OutDir">The output folder; null for out/&lt;study folder&gt;.</param>
    /// <param name="Force">Write into a non-empty folder CepGeo did not create.</param>
    /// <param name="Crs">Overrides the study's equal-area CRS.</param>
    /// <param name="ShowTimings">Print where the time went.</param>
    /// <param name="Maps">The maps and report to draw; null with --no-maps.</param>
    /// <param name="MaxInputMb">Refuse layers larger than this in total.</param>
    /// <param name="Tables">CSV, JSON or both.</param>
    /// <param name="Exports">GeoPackage, workbook, CSV dialect and PostGIS.</param>
    private sealed record Request(string? StudyPath, string? OutDir, bool Force, string? Crs, bool ShowTimings,
        MapChoices? Maps, int MaxInputMb, TableFormats Tables, ExportChoices Exports);

    /// <summary>Runs with Ctrl+C turned into a cancellation: the output folder is left as it was.</summary>
    private static int RunCancellable(CliContext context, CancellationToken cancellation, Action<string>? onStep, Request request)
        => CtrlC.Run(context, cancellation, cancel => Run(context, request, onStep, cancel));

    private static int Run(CliContext context, Request request, Action<string>? onStep, CancellationToken cancel)
    {
        var (studyPath, outDir, force, crs, showTimings, maps, maxInputMb, tables, exports) = request;
        studyPath ??= StudyFiles.DemoStudyPath();
        var study = StudyFiles.Read(studyPath, crs, maxInputMb);
        long inputBytes = InputLimit.Check(study, Path.GetFileName(studyPath), maxInputMb);
        outDir ??= Path.Combine("out", new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(studyPath))!).Name);
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(study, studyPath));

        var console = context.Console;
        console.MarkupLine($"[bold]{Markup.Escape(study.Name)}[/]");
        var text = context.Text;
        var clock = new StepClock(console, text);
        using var loading = StepMemory.LoadWithoutCollections(inputBytes);
        var (result, exportFiles, mapFiles, target) = context.Busy(StepName(text, Analysis.StepLoad) + "…", status =>
        {
            void Start(string step)
            {
                if (step != Analysis.StepLoad) loading.Dispose();
                clock.Start(step);
                status(StepName(text, step) + "…");
                StepMemory.Release(step);
                onStep?.Invoke(step);
            }
            var result = Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, Start, cancel, loadSites: StudyFiles.LoadSites);
            Start(StepMemory.StepWrite);
            cancel.ThrowIfCancellationRequested();
            // results.gpkg and results.xlsx are written while the other files are (one core each).
            var exportFiles = ExportFiles.WriteBeside(result, folder, CliApp.Version, () => AnalysisOutputs.WriteAll(result, name =>
            {
                cancel.ThrowIfCancellationRequested();
                return folder.Create(name);
            }, CliApp.Version, clock.Seconds, tables, exports.Csv), cancel: cancel);
            cancel.ThrowIfCancellationRequested();
            if (exports.ToPostGis is { } pg)
            {
                Start("postgis");
                PostGisDatabase.WriteResults(result, pg, exports.Schema, CliApp.Version);
                cancel.ThrowIfCancellationRequested();
            }
            if (maps is not null) Start("maps");
            var mapFiles = maps is null ? [] : MapFiles.Write(result, folder.Create, "maps/", maps.Format, maps.Text, maps.Lambert93, maps.Print,
                CliApp.Version, maps.Date, maps.ByArea, cancel, name => status(text.T($"cartes et rapport : {name}…", $"maps: {name}…")), Start);
            cancel.ThrowIfCancellationRequested();
            string target = folder.Commit();
            clock.Stop();
            return (result, exportFiles, mapFiles, target);
        });

        console.MarkupLine(Markup.Escape(text.T("SCR équivalent (surfaces) : ", "Equal-area CRS: ") + result.Crs + "; "
            + text.Count(result.Mosaic.FaceCount, "face", "face") + "; "
            + text.T($"{text.Count(result.Slivers.Count, "micro-écart de tracé mis", "sliver", "micro-écarts de tracé mis")} à part",
                $"{text.Count(result.Slivers.Count, "sliver", "sliver")} set aside")
            + $" ({text.N(result.Slivers.AreaKm2)} km²)"));
        EncodingNotes.Print(context, result.Load);
        int skipped = result.Load.Count(i => i.Kind == LoadIssueKind.Skipped), repaired = result.Load.Count(i => i.Kind == LoadIssueKind.Repaired);
        if (skipped + repaired > 0)
            console.MarkupLine("[yellow]" + Markup.Escape(text.T(
                $"Chargement : {text.Count(skipped, "entité ignorée", "", "entités ignorées")}, {text.Count(repaired, "réparée", "")} (voir summary.json)",
                $"Load report: {text.Count(skipped, "", "feature", "", "features")} skipped, {repaired} repaired (see summary.json)")) + "[/]");
        // Notes (a site whose commune's centroid lies outside the commune, a CRS taken from the study): one line each. Skipped
        // and repaired features are counted above, encodings said by EncodingNotes, match lines by zones build.
        foreach (var issue in result.Load.Where(i => i.Words is not null && i.Kind == LoadIssueKind.Note))
            console.MarkupLine("[yellow]" + Markup.Escape($"{issue.Layer} : {issue.FeatureId ?? "—"} : {text.T(issue.Words!.Value.Fr, issue.Words.Value.En)}") + "[/]");
        console.Write(SummaryTable(result, text));
        if (showTimings)
        {
            // English step keys with --lang en (tests/CepGeo.Benchmarks/compare.sh reads those lines).
            foreach (var (step, s) in clock.Seconds)
                console.WriteLine(text.T(
                    $"  {StepName(text, step),-26} {text.N(s, "0.000"),8} s   processeur {text.N(clock.Cpu[step], "0.00"),6} s   pause GC {text.N(clock.Pause[step], "0.00"),5} s",
                    string.Create(CultureInfo.InvariantCulture,
                        $"  {step,-12} {s,8:0.000} s   cpu {clock.Cpu[step],6:0.00} s   gc pause {clock.Pause[step],5:0.00} s")));
            // What the garbage collector cost: on national layers it is a good part of the time.
            long peak = Process.GetCurrentProcess().PeakWorkingSet64 >> 20, allocated = GC.GetTotalAllocatedBytes() >> 20;
            double paused = GC.GetTotalPauseDuration().TotalSeconds;
            console.WriteLine(text.T(
                $"  mémoire : pic {text.Int(peak)} Mo, allouée {text.Int(allocated)} Mo, {text.Count(GC.CollectionCount(0), "collecte", "")} "
                + $"({text.Count(GC.CollectionCount(2), "complète", "")}), pauses {text.N(paused, "0.00")} s",
                string.Create(CultureInfo.InvariantCulture,
                    $"  memory: peak {peak} MB, allocated {allocated} MB, {GC.CollectionCount(0)} collections ({GC.CollectionCount(2)} full), paused {paused:0.00} s")));
        }
        console.WriteLine(text.T("Fichiers écrits :", "Outputs:"));
        foreach (var name in AnalysisOutputs.FileNames(tables, exports.Csv).Concat(exportFiles).Concat(mapFiles))
            console.WriteLine("  " + Path.Combine(target, name));
        return 0;
    }

    /// <summary>The name a person reads for a pipeline step (the step keys stay English in summary.json).</summary>
    public static string StepName(ConsoleText text, string step) => step switch
    {
        Analysis.StepLoad => text.T("chargement des couches", "load"),
        Analysis.StepProject => text.T("projection", "project"),
        Analysis.StepMosaic => text.T("superposition (mosaïque)", "mosaic"),
        Analysis.StepMetrics => text.T("mesures", "metrics"),
        "mosaic.node" => text.T("superposition : découpage des limites", "mosaic.node"),
        "mosaic.faces" => text.T("superposition : faces", "mosaic.faces"),
        "mosaic.label" => text.T("superposition : étiquetage des faces", "mosaic.label"),
        StepMemory.StepWrite => text.T("écriture des fichiers", "write"),
        "maps" => text.T("cartes et rapport", "maps"),
        MapFiles.StageFiches => text.T("fiches territoire et atlas (atlas.pdf)", "area sheets and atlas.pdf"),
        MapFiles.StageReport => text.T("rapport (report.html)", "report.html"),
        "postgis" => text.T("écriture dans PostGIS", "postgis"),
        "sites" => text.T("lieux d'accueil", "sites"),
        _ => step,
    };

    private static TableFormats Tables(string? format) => format switch
    {
        "json" => TableFormats.Json,
        "both" => TableFormats.Both,
        _ => TableFormats.Csv,
    };

    private static Table SummaryTable(AnalysisResult r, ConsoleText text)
    {
        var table = new Table().AddColumns(text.T("opérateur", "operator"), text.T("zones", "zones"),
            text.T("territoires alignés %", "cells aligned %"), text.T("mêmes limites %", "coterminous %"),
            text.T("interlocuteurs (moy.)", "mean partners"), text.T("zone blanche km²", "gap km²"),
            text.T("double couverture km²", "double km²"), text.T("alignement", "alignment"),
            text.T("alignement en population", "pop. alignment"));
        foreach (var c in r.Comparisons)
        {
            var s = c.Summary;
            table.AddRow(Markup.Escape($"{c.Operator} — {r.Infos.First(i => i.Key == c.Operator).Label}"),
                F(s.Zones, "0"), F(s.CellsAlignedPct, "0.0"), F(s.CellsCoterminousPct, "0.0"), F(s.PartnersMean, "0.00"),
                F(s.GapKm2, "0.00"), F(s.DoubleKm2, "0.00"), F(s.Alignment, "0.000"),
                s.PopAlignment is double p ? F(p, "0.000") : "—");
        }
        return table;

        string F(double v, string format) => text.N(v, format);
    }

    /// <summary>Times each step of the pipeline and prints it as it finishes.</summary>
    private sealed class StepClock(IAnsiConsole console, ConsoleText text)
    {
        private readonly Stopwatch _watch = new();
        private string? _step;
        private TimeSpan _cpuAtStart, _pauseAtStart;

        public Dictionary<string, double> Seconds { get; } = [];

        /// <summary>Processor time of all threads per step: against the wall time, how well it used the cores.</summary>
        public Dictionary<string, double> Cpu { get; } = [];

        /// <summary>Garbage collector pauses per step.</summary>
        public Dictionary<string, double> Pause { get; } = [];

        public void Start(string step)
        {
            Stop();
            _step = step;
            _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            _pauseAtStart = GC.GetTotalPauseDuration();
            _watch.Restart();
        }

        public void Stop()
        {
            if (_step is null) return;
            double s = _watch.Elapsed.TotalSeconds;
            Seconds[_step] = s;
            Cpu[_step] = (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalSeconds;
            Pause[_step] = (GC.GetTotalPauseDuration() - _pauseAtStart).TotalSeconds;
            console.MarkupLine($"[green]✓[/] {Markup.Escape(StepName(text, _step))} [grey]({text.N(s, "0.00")} s)[/]");
            _step = null;
        }
    }
}
