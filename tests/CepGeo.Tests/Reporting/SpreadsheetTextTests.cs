using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;
using CepGeo.Viewer;

namespace CepGeo.Tests.Reporting;

/// <summary>Text a spreadsheet would run as a formula is written with a leading apostrophe (OWASP), and read back as it was.</summary>
public sealed class SpreadsheetTextTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"clic\")", "'=HYPERLINK(\"http://evil.example\",\"clic\")")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("\tSUM(A1)", "'\tSUM(A1)")]
    [InlineData("\rSUM(A1)", "'\rSUM(A1)")]
    [InlineData("-", "'-")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("+3", "+3")]
    [InlineData("1e5", "1e5")]
    [InlineData("13055", "13055")]
    [InlineData("Aix-en-Provence", "Aix-en-Provence")]
    [InlineData("'=already", "''=already")]
    [InlineData("'plain", "'plain")]
    [InlineData("", "")]
    public void Neutralise_PrefixesFormulasOnly_AndRestoreGivesTheValueBack(string value, string written)
    {
        Assert.Equal(written, SpreadsheetText.Neutralise(value));
        Assert.Equal(value, SpreadsheetText.Restore(SpreadsheetText.Neutralise(value)));
    }

    [Fact]
    public void Analyze_FormulaIds_AreNeutralisedInEveryCsv_AndTheViewerShowsThemAsTheyAre()
    {
        const string hyperlink = "=HYPERLINK(\"http://evil.example\",\"clic\")";
        const string sum = "@SUM(1+1)";
        const string cmd = "+cmd|' /C calc'!A0";
        string folder = _dir.File("study");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cells.geojson"), JsonSerializer.Serialize(new
        {
            type = "FeatureCollection",
            features = new[] { Square(hyperlink, 5.0, 5.2, new { nom = sum }) },
        }));
        File.WriteAllText(Path.Combine(folder, "zones.geojson"), JsonSerializer.Serialize(new
        {
            type = "FeatureCollection",
            features = new[] { Square(cmd, 5.0, 5.1, new { nom = "-2" }) },
        }));
        string study = Path.Combine(folder, "study.json");
        File.WriteAllText(study, """
            { "name": "formulas", "cells": { "path": "cells.geojson", "name": "nom" },
              "operators": [ { "key": "op", "label": "Opérateur", "path": "zones.geojson", "name": "nom" } ] }
            """);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        var cell = Assert.Single(TestCsv.Read(Path.Combine(outDir, "cells.csv")));
        Assert.Equal("'" + hyperlink, cell["cell_id"]);
        Assert.Equal("'" + sum, cell["cell_name"]);
        var pair = Assert.Single(TestCsv.Read(Path.Combine(outDir, "pairs.csv")));
        Assert.Equal("'" + cmd, pair["zone_id"]);
        var zone = Assert.Single(TestCsv.Read(Path.Combine(outDir, "zones.csv")));
        Assert.Equal("-2", zone["zone_name"]);
        // No line of any CSV starts a field with a formula character.
        foreach (string csv in Directory.GetFiles(outDir, "*.csv"))
            foreach (string line in File.ReadAllLines(csv))
                foreach (string field in line.Split(','))
                    Assert.False(field.TrimStart('"').Length > 0 && "=@+\t".Contains(field.TrimStart('"')[0], StringComparison.Ordinal), $"{csv}: {line}");

        // The viewer reads the tables back with the ids the study has.
        var data = ViewCommand.Load(new CliContext(new StringWriter(), new StringWriter(), color: false), outDir);
        using var cells = JsonDocument.Parse(data.Tables["cells"]);
        var row = Assert.Single(cells.RootElement.EnumerateArray());
        Assert.Equal(hyperlink, row.GetProperty("cell_id").GetString());
        Assert.Equal(sum, row.GetProperty("cell_name").GetString());
    }

    private static object Square(string id, double west, double east, object properties) => new
    {
        type = "Feature",
        id,
        properties,
        geometry = new
        {
            type = "Polygon",
            coordinates = new[] { new[] { new[] { west, 43.0 }, new[] { east, 43.0 }, new[] { east, 43.2 }, new[] { west, 43.2 }, new[] { west, 43.0 } } },
        },
    };
}
