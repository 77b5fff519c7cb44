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
            Description = context.T("Dossier où écrire l'étude de démonstration (créé s'il manque)", "Folder to write the demo study to (created if missing)"),
            DefaultValueFactory = _ => Path.Combine("data", "demo"),
        };
        var seedOption = new Option<ulong>("--seed")
        {
            Description = context.T("Graine du générateur ; la même graine donne des fichiers identiques à l'octet près", "Seed of the generator; the same seed gives byte-identical files"),
            DefaultValueFactory = _ => DemoTerritory.DefaultSeed,
        };

        var forceOption = new Option<bool>("--force") { Description = context.T("Écrire dans un dossier qui contient d'autres fichiers que ceux de la démo", "Write into a folder that holds other files than the demo's") };

        var command = new Command("generate", context.T("Écrire un territoire synthétique (communes, territoires, trois couches d'opérateurs) et son study.json", "Write a synthetic territory (communes, cells, three operator layers) and its study.json"))
        {
            outOption,
            seedOption,
            forceOption,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(outOption)!, parsed.GetValue(seedOption), parsed.GetValue(forceOption)));
        return command;
    }

    private static int Run(CliContext context, string outDir, ulong seed, bool force)
    {
        if (string.IsNullOrWhiteSpace(outDir))
            throw new CepGeoInputException("--out", null, new Phrase("le dossier de sortie est vide : donnez un nom de dossier", "the output folder is empty: give a folder name"));
        string folder = Path.GetFullPath(outDir);
        if (File.Exists(folder))
            throw new CepGeoInputException("--out", null, new Phrase($"{outDir} est un fichier, pas un dossier", $"{outDir} is a file, not a folder"));
        // The demo's files are rewritten in place (data/demo is in git, a marker would not belong
        // there): a folder holding anything else is someone's work, refused unless --force.
        var others = Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName)
                .Where(n => !DemoFiles.FileNames.Contains(n!, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (others.Count > 0 && !force)
        {
            string list = string.Join(", ", others.Take(3)) + (others.Count > 3 ? ", …" : "");
            throw new CepGeoInputException(outDir, null, new Phrase(
                $"le dossier contient d'autres fichiers que ceux de la démo ({list}) : choisissez un autre --out, "
                + "ou ajoutez --force pour y écrire quand même (seuls les fichiers de la démo sont remplacés)",
                $"the folder holds other files than the demo's ({list}): choose another --out, "
                + "or add --force to write there anyway (only the demo's files are replaced)"));
        }
        Directory.CreateDirectory(folder);

        var territory = DemoTerritory.Generate(seed);
        DemoFiles.WriteAll(territory, name => File.Create(Path.Combine(folder, name)));

        var text = context.Text;
        var table = new Table().AddColumn(text.T("fichier", "file")).AddColumn(new TableColumn(text.T("entités", "features")).RightAligned());
        table.AddRow(DemoFiles.Communes, text.Int(territory.Communes.Count));
        table.AddRow(DemoFiles.Cells, text.Int(territory.Cells.Count));
        table.AddRow(DemoFiles.MissionsLocales, text.Int(territory.MissionsLocales.Count));
        table.AddRow(DemoFiles.Agences, text.Int(territory.Agences.Count));
        table.AddRow(DemoFiles.CapEmploi, text.Int(territory.CapEmploi.Count));
        table.AddRow(DemoFiles.Study, "");
        table.AddRow(DemoFiles.Readme, "");
        context.Console.Write(table);
        string seedText = seed.ToString(CultureInfo.InvariantCulture);
        context.Console.MarkupLine(text.T($"Étude de démonstration synthétique (graine {seedText}) écrite dans [bold]{Markup.Escape(folder)}[/]",
            $"Synthetic demo study (seed {seedText}) written to [bold]{Markup.Escape(folder)}[/]"));
        return 0;
    }
}
