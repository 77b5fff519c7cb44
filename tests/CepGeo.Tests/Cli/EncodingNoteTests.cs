using System.Text;
using System.Text.Json;
using CepGeo.Core.Loading;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// A file read in anything but UTF-8 is named with its encoding, in one line on the console (French,
/// English with --lang en) and in the load report (summary.json's <c>load</c>), never silently (issue 21).
/// </summary>
public sealed class EncodingNoteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The tiny study of <see cref="OutputFolderTests.TinyStudy"/>, its study file written in <paramref name="studyEncoding"/>, with a sites CSV in <paramref name="sitesEncoding"/>.</summary>
    private string Study(Encoding studyEncoding, Encoding sitesEncoding)
    {
        string folder = _dir.File("tiny-" + Guid.NewGuid().ToString("N"));
        string study = OutputFolderTests.TinyStudy(folder);
        File.WriteAllBytes(study, studyEncoding.GetBytes("""
            { "name": "Étude à Nîmes", "cells": { "path": "cells.geojson" },
              "operators": [ { "key": "op", "label": "Opérateur", "path": "zones.geojson",
                "sites": { "path": "sites.csv", "id": "id", "name": "nom" } } ] }
            """));
        File.WriteAllBytes(Path.Combine(folder, "sites.csv"), sitesEncoding.GetBytes("id;nom;lon;lat\ns1;Agence de Fréjus;5,05;43,1\n"));
        return study;
    }

    private static readonly Encoding Utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);

    private static List<(string Layer, string Kind, string Reason)> Load(string outDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement.GetProperty("load").EnumerateArray()
            .Select(e => (e.GetProperty("layer").GetString()!, e.GetProperty("kind").GetString()!, e.GetProperty("reason").GetString()!))
            .ToList();

    [Fact]
    public void Analyze_StudyInWindows1252_SitesInUtf16_OneLineEachInFrench_AndInTheLoadReport()
    {
        string study = Study(TextEncodings.Windows1252, Utf16);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        var lines = run.Out.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("study.json lu en Windows-1252 (pas UTF-8)", lines);
        Assert.Contains("sites.csv lu en UTF-16 LE (pas UTF-8)", lines);
        Assert.Equal(2, lines.Count(l => l.Contains(" lu en ", StringComparison.Ordinal)));
        Assert.Contains(("study.json", "encoding", "read as Windows-1252 (not UTF-8)"), Load(outDir));
        Assert.Contains(("sites.csv", "encoding", "read as UTF-16 LE (not UTF-8)"), Load(outDir));
        // And the accents are the file's: the study's name in summary.json.
        Assert.Equal("Étude à Nîmes", JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement.GetProperty("study").GetString());
    }

    [Fact]
    public void Analyze_SitesInWindows1252_InEnglish()
    {
        string study = Study(new UTF8Encoding(false), TextEncodings.Windows1252);

        var run = CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps", "--lang", "en");

        Assert.True(run.ExitCode == 0, run.Err);
        var lines = run.Out.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("sites.csv read as Windows-1252 (not UTF-8)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("study.json read as", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_AllUtf8_NoNote()
    {
        string study = Study(new UTF8Encoding(true), new UTF8Encoding(false));
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.DoesNotContain("(pas UTF-8)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Load(outDir), i => i.Kind == "encoding");
    }

    [Fact]
    public void Validate_StudyInUtf16_SaysSo()
    {
        string study = Study(new UnicodeEncoding(bigEndian: false, byteOrderMark: true), new UTF8Encoding(false));
        // UnicodeEncoding.GetBytes writes no mark: put it in front.
        File.WriteAllBytes(study, [0xFF, 0xFE, .. File.ReadAllBytes(study)]);

        var run = CliRun.Of("validate", study);

        Assert.Contains("study.json lu en UTF-16 LE (pas UTF-8)", run.Out, StringComparison.Ordinal);
    }
}
