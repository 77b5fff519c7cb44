using System.CommandLine;
using System.Globalization;
using CepGeo.Core.Demo;
using CepGeo.Core.Model;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo demo generate [--out DIR] [--seed N]</c>: writes the synthetic demo study.</summary>
internal static class DemoGenerateCommand
{
    public static Command Create(CliContext context)
    {
        var outOption = new Option<string>("--out", "-o")
        {
            Description = "Folder to write the demo study to (created if missing)",
            DefaultValueFactory = _ => Path.Combine("data", "demo"),
        };
        var seedOption = new Option<ulong>("--seed")
        {
            Description = "Seed of the generator; the same seed gives byte-identical files",
            DefaultValueFactory = _ => DemoTerritory.DefaultSeed,
        };

        var command = new Command("generate", "Write a synthetic territory (communes, cells, three operator layers) and its study.json")
        {
            outOption,
            seedOption,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(outOption)!, parsed.GetValue(seedOption)));
        return command;
    }

    private static int Run(CliContext context, string outDir, ulong seed)
    {
        string folder = Path.GetFullPath(outDir);
        if (File.Exists(folder))
            throw new CepGeoInputException("--out", null, $"{outDir} is a file, not a folder");
        Directory.CreateDirectory(folder);

        var territory = DemoTerritory.Generate(seed);
        DemoFiles.WriteAll(territory, name => File.Create(Path.Combine(folder, name)));

        var table = new Table().AddColumn("file").AddColumn(new TableColumn("features").RightAligned());
        table.AddRow(DemoFiles.Communes, territory.Communes.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow(DemoFiles.Cells, territory.Cells.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow(DemoFiles.MissionsLocales, territory.MissionsLocales.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow(DemoFiles.Agences, territory.Agences.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow(DemoFiles.CapEmploi, territory.CapEmploi.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow(DemoFiles.Study, "");
        table.AddRow(DemoFiles.Readme, "");
        context.Console.Write(table);
        context.Console.MarkupLineInterpolated($"Synthetic demo study (seed {seed}) written to [bold]{folder}[/]");
        return 0;
    }
}
