using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo analyze [STUDY.json] [--out DIR] [--force]</c>: the whole analysis and its files.</summary>
internal static class AnalyzeCommand
{
    /// <summary>Exit code when the run was cancelled (Ctrl+C), as shells report a SIGINT.</summary>
    public const int CancelledExitCode = 130;

    /// <param name="cancellation">Cancels the run as Ctrl+C does (tests).</param>
    /// <param name="onStep">Also told each pipeline step as it starts (tests).</param>
    public static Command Create(CliContext context, CancellationToken cancellation = default, Action<string>? onStep = null)
    {
        var study = new Argument<string?>("study")
        {
            Description = "The study file (study.json); without it, the demo study in data/demo/",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default: out/<study folder name>)" };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder CepGeo did not create" };
        var crs = new Option<string?>("--crs") { Description = "Override the study's CRS for areas (e.g. EPSG:3035; EPSG:2154 is conformal, not equal-area)" };
        var timings = new Option<bool>("--timings") { Description = "Print where the time went, per step" };
        var format = new Option<string>("--tables")
        {
            Description = "Tables (pairs, cells, zones) as csv (default), json or both",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "json", "both");
        var exports = ExportOptionSet.Create();
        var noMaps = new Option<bool>("--no-maps") { Description = "Write no maps/ and no report.html" };
        var maps = MapOptionSet.Create();
        var maxInput = new Option<int>("--max-input-mb")
        {
            Description = $"Refuse a study whose layer files total more than this many MB (default {InputLimit.DefaultMaxMb})",
            DefaultValueFactory = _ => InputLimit.DefaultMaxMb,
            CustomParser = r => InputLimit.ParseMaxMb(r, context.Text),
        };
        var command = new Command("analyze", "Overlay the cells with every operator layer and write the gap report, tables and summary")
        {
            study, output, force, crs, timings, format, noMaps, maxInput,
        };
        maps.AddTo(command);
        exports.AddTo(command);
        command.SetAction(parsed => RunCancellable(context, cancellation, onStep, parsed.GetValue(study), parsed.GetValue(output),
            parsed.GetValue(force), parsed.GetValue(crs), parsed.GetValue(timings), parsed.GetValue(noMaps) ? null : maps.Read(parsed, context.Text),
            parsed.GetValue(maxInput), Tables(parsed.GetValue(format)), exports.Read(parsed)));
        return command;
    }

    /// <summary>Runs with Ctrl+C turned into a cancellation: the output folder is left as it was.</summary>
    private static int RunCancellable(CliContext context, CancellationToken cancellation, Action<string>? onStep,
        string? studyPath, string? outDir, bool force, string? crs, bool showTimings, MapChoices? maps, int maxInputMb, TableFormats tables, ExportChoices exports)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // The first Ctrl+C cancels cleanly (between steps); a second one ends the process at once.
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return Run(context, studyPath, outDir, force, crs, showTimings, maps, maxInputMb, tables, exports, onStep, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            context.WriteErrorLine("cancelled: no result was written, the output folder is as it was");
            return CancelledExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static int Run(CliContext context, string? studyPath, string? outDir, bool force, string? crs, bool showTimings,
        MapChoices? maps, int maxInputMb, TableFormats tables, ExportChoices exports, Action<string>? onStep, CancellationToken cancel)
    {
        studyPath ??= StudyFiles.DemoStudyPath();
        var study = StudyFiles.Read(studyPath, crs, maxInputMb);
        long inputBytes = InputLimit.Check(study, Path.GetFileName(studyPath), maxInputMb);
        outDir ??= Path.Combine("out", new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(studyPath))!).Name);
        using var folder = OutputFolder.Open(outDir, force, StudyFiles.InputFiles(study, studyPath));

        var console = context.Console;
        console.MarkupLine($"[bold]{Markup.Escape(study.Name)}[/]");
        var clock = new StepClock(console);
        using var loading = StepMemory.LoadWithoutCollections(inputBytes);
        void Start(string step)
        {
            if (step != Analysis.StepLoad) loading.Dispose();
            clock.Start(step);
            StepMemory.Release(step);
            onStep?.Invoke(step);
        }
        var result = Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights, Start, cancel, loadSites: StudyFiles.LoadSites);
        Start(StepMemory.StepWrite);
        AnalysisOutputs.WriteAll(result, name =>
        {
            cancel.ThrowIfCancellationRequested();
            return folder.Create(name);
        }, CliApp.Version, clock.Seconds, tables, exports.Csv);
        cancel.ThrowIfCancellationRequested();
        var exportFiles = ExportFiles.Write(result, folder, CliApp.Version);
        cancel.ThrowIfCancellationRequested();
        if (exports.ToPostGis is { } pg)
        {
            Start("postgis");
            PostGisDatabase.WriteResults(result, pg, exports.Schema, CliApp.Version);
            cancel.ThrowIfCancellationRequested();
        }
        if (maps is not null) Start("maps");
        var mapFiles = maps is null ? [] : MapFiles.Write(result, folder.Create, "maps/", maps.Format, maps.Text, maps.Lambert93, maps.Print, CliApp.Version, maps.Date, maps.ByArea);
        cancel.ThrowIfCancellationRequested();
        string target = folder.Commit();
        clock.Stop();

        console.MarkupLine($"Equal-area CRS: {Markup.Escape(result.Crs.ToString())}; {result.Mosaic.FaceCount} faces; "
            + $"{result.Slivers.Count} slivers set aside ({result.Slivers.AreaKm2.ToString("0.###", CultureInfo.InvariantCulture)} km²)");
        int skipped = result.Load.Count(i => i.Kind == "skipped"), repaired = result.Load.Count(i => i.Kind == "repaired");
        if (skipped + repaired > 0)
            console.MarkupLine($"[yellow]Load report: {skipped} features skipped, {repaired} repaired (see summary.json)[/]");
        console.Write(SummaryTable(result));
        if (showTimings)
        {
            foreach (var (step, s) in clock.Seconds)
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {step,-12} {s,8:0.000} s   cpu {clock.Cpu[step],6:0.00} s   gc pause {clock.Pause[step],5:0.00} s"));
            // What the garbage collector cost: on national layers it is a good part of the time.
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  memory: peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MB, allocated {GC.GetTotalAllocatedBytes() >> 20} MB, "
                + $"{GC.CollectionCount(0)} collections ({GC.CollectionCount(2)} full), paused {GC.GetTotalPauseDuration().TotalSeconds:0.00} s"));
        }
        console.WriteLine("Outputs:");
        foreach (var name in AnalysisOutputs.FileNames(tables, exports.Csv).Concat(exportFiles).Concat(mapFiles))
            console.WriteLine("  " + Path.Combine(target, name));
        return 0;
    }

    private static TableFormats Tables(string? format) => format switch
    {
        "json" => TableFormats.Json,
        "both" => TableFormats.Both,
        _ => TableFormats.Csv,
    };

    private static Table SummaryTable(AnalysisResult r)
    {
        var table = new Table().AddColumns("operator", "zones", "cells aligned %", "coterminous %", "mean partners",
            "gap km²", "double km²", "alignment", "pop. alignment");
        foreach (var c in r.Comparisons)
        {
            var s = c.Summary;
            table.AddRow(Markup.Escape($"{c.Operator} — {r.Infos.First(i => i.Key == c.Operator).Label}"),
                F(s.Zones, "0"), F(s.CellsAlignedPct, "0.0"), F(s.CellsCoterminousPct, "0.0"), F(s.PartnersMean, "0.00"),
                F(s.GapKm2, "0.00"), F(s.DoubleKm2, "0.00"), F(s.Alignment, "0.000"),
                s.PopAlignment is double p ? F(p, "0.000") : "—");
        }
        return table;

        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Times each step of the pipeline and prints it as it finishes.</summary>
    private sealed class StepClock(IAnsiConsole console)
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
            console.MarkupLine($"[green]✓[/] {_step} [grey]({s.ToString("0.00", CultureInfo.InvariantCulture)} s)[/]");
            _step = null;
        }
    }
}
