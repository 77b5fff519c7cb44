using System.CommandLine;
using System.Text;
using System.Text.Json;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo init --cells FILE --operator KEY=FILE … [--weights FILE] [--out study.json]</c>: writes a study
/// without hand-written JSON. Each layer is read, its id, name and population fields chosen by the rules of
/// <see cref="FieldGuess"/> (said with the reason), confirmed at a terminal, then the study is validated.
/// </summary>
internal static class InitCommand
{
    /// <param name="confirm">Asks the user (null: ask only when stdin and stdout are a terminal).</param>
    public static Command Create(CliContext context, Func<string, bool>? confirm = null)
    {
        var cells = new Option<string>("--cells") { Description = context.T("Couche des territoires de coordination", "Layer of the coordination cells"), Required = true };
        var operators = new Option<string[]>("--operator")
        {
            Description = context.T("Un réseau d'opérateurs : CLÉ=FICHIER (répéter l'option)", "An operator network: KEY=FILE (repeat the option)"),
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var weights = new Option<string?>("--weights") { Description = context.T("Couche de population (communes)", "Population layer (communes)") };
        var output = new Option<string>("--out", "-o")
        {
            Description = context.T("Fichier d'étude à écrire", "Study file to write"),
            DefaultValueFactory = _ => "study.json",
        };
        var force = new Option<bool>("--force") { Description = context.T("Remplacer un fichier d'étude existant", "Replace an existing study file") };
        var name = new Option<string?>("--name") { Description = context.T("Nom de l'étude", "Study name") };
        var ids = new Option<string[]>("--id") { Description = context.T("Imposer le champ identifiant : CLÉ=CHAMP (cells pour les territoires)", "Force the id field: KEY=FIELD (cells for the cells)") };
        var names = new Option<string[]>("--name-field") { Description = context.T("Imposer le champ de nom : CLÉ=CHAMP", "Force the name field: KEY=FIELD") };
        var labels = new Option<string[]>("--label") { Description = context.T("Libellé d'une couche : CLÉ=TEXTE", "Label of a layer: KEY=TEXT") };
        var value = new Option<string?>("--value") { Description = context.T("Imposer le champ de population de --weights", "Force the population field of --weights") };
        var sources = new Option<string?>("--sources") { Description = context.T("Ligne des sources imprimée sur les cartes", "Sources line printed on maps") };
        var yes = new Option<bool>("--yes", "-y") { Description = context.T("Ne pas demander de confirmation", "Do not ask for confirmation") };
        var command = new Command("init", context.T(
            "Écrire un fichier d'étude à partir des couches, en choisissant les champs (et dire pourquoi), puis le valider",
            "Write a study file from the layers, choosing the fields (and saying why), then validate it"))
        {
            cells, operators, weights, output, force, name, ids, names, labels, value, sources, yes,
        };
        command.SetAction(parsed =>
        {
            var request = new Request(parsed.GetValue(cells)!, Pairs(context, "--operator", parsed.GetValue(operators)), parsed.GetValue(weights),
                parsed.GetValue(output)!, parsed.GetValue(force), parsed.GetValue(name), Pairs(context, "--id", parsed.GetValue(ids)),
                Pairs(context, "--name-field", parsed.GetValue(names)), Pairs(context, "--label", parsed.GetValue(labels)),
                parsed.GetValue(value), parsed.GetValue(sources));
            bool atTerminal = ReferenceEquals(context.Output, Console.Out) && !Console.IsInputRedirected && !Console.IsOutputRedirected;
            Func<string, bool>? ask = parsed.GetValue(yes) ? null : confirm ?? (atTerminal ? q => AskAtTerminal(context, q) : null);
            return Run(context, request, ask);
        });
        return command;
    }

    private sealed record Request(string Cells, List<(string Key, string Value)> Operators, string? Weights, string Out, bool Force,
        string? Name, List<(string Key, string Value)> Ids, List<(string Key, string Value)> Names, List<(string Key, string Value)> Labels,
        string? Value, string? Sources);

    private sealed record Chosen(string Key, string Path, string Label, FieldChoice Id, FieldChoice Name, int Features);

    private static int Run(CliContext context, Request r, Func<string, bool>? ask)
    {
        var text = context.Text;
        string outFull = Path.GetFullPath(r.Out);
        if (File.Exists(outFull) && !r.Force)
            throw new CepGeoInputException(r.Out, null, new Phrase("le fichier existe déjà ; choisissez un autre --out ou ajoutez --force",
                "the file already exists; choose another --out or add --force"));
        var keys = new HashSet<string>(StringComparer.Ordinal) { StudyReader.CellsKey };
        foreach (var (key, _) in r.Operators)
            if (!keys.Add(key))
                throw new CepGeoInputException("--operator", null, new Phrase($"clé \"{key}\" donnée deux fois (ou réservée)", $"key \"{key}\" given twice (or reserved)"));
        foreach (var (key, _) in r.Ids.Concat(r.Names).Concat(r.Labels))
            if (!keys.Contains(key))
                throw new CepGeoInputException(key, null, new Phrase($"clé inconnue ; attendu {string.Join(", ", keys)}", $"unknown key; expected {string.Join(", ", keys)}"));

        var layers = new List<Chosen> { Choose(r, StudyReader.CellsKey, r.Cells) };
        foreach (var (key, file) in r.Operators) layers.Add(Choose(r, key, file));
        FieldChoice? population = null;
        if (r.Weights is not null)
        {
            var features = Read(r.Weights);
            population = r.Value is null ? FieldGuess.Population(features.Attributes)
                : Given(features.Attributes, r.Value, r.Weights);
            if (population.Field is null)
                throw new CepGeoInputException(r.Weights, null, new Phrase(
                    $"{population.Why.Fr} ; nommez le champ de population avec --value",
                    $"{population.Why.En}; name the population field with --value"));
        }

        var console = context.Console;
        var table = new Table().AddColumns(text.T("couche", "layer"), text.T("fichier", "file"), text.T("identifiant", "id"),
            text.T("nom", "name"), text.T("pourquoi", "why"));
        foreach (var c in layers)
            table.AddRow(Markup.Escape($"{c.Key} — {c.Label}"), Markup.Escape(Path.GetFileName(c.Path)),
                Markup.Escape(c.Id.Field ?? text.T("(id du fichier)", "(file id)")), Markup.Escape(c.Name.Field ?? "—"),
                Markup.Escape(text.T(c.Id.Why) + " | " + text.T(c.Name.Why)));
        if (r.Weights is not null)
            table.AddRow(text.T("population", "weights"), Markup.Escape(Path.GetFileName(r.Weights)), "—",
                Markup.Escape(population!.Field!), Markup.Escape(text.T(population.Why)));
        console.Write(table);
        console.MarkupLine(Markup.Escape(text.T("Pour changer un choix : --id CLÉ=CHAMP, --name-field CLÉ=CHAMP, --value CHAMP, --label CLÉ=TEXTE.",
            "To change a choice: --id KEY=FIELD, --name-field KEY=FIELD, --value FIELD, --label KEY=TEXT.")));
        if (ask is not null && !ask(text.T($"Écrire {r.Out} ?", $"Write {r.Out}?")))
        {
            console.MarkupLine(Markup.Escape(text.T("Rien n'a été écrit.", "Nothing was written.")));
            return 0;
        }

        string studyDir = Path.GetDirectoryName(outFull)!;
        Directory.CreateDirectory(studyDir);
        string studyName = r.Name ?? text.T($"Étude — {layers[0].Label}", $"Study — {layers[0].Label}");
        string sources = r.Sources ?? text.T("À compléter (producteur et millésime de chaque couche) : ", "To complete (producer and year of each layer): ")
            + string.Join(" ; ", layers.Select(l => Path.GetFileName(l.Path)).Concat(r.Weights is null ? [] : [Path.GetFileName(r.Weights)]));
        using (var stream = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("name", studyName);
                w.WriteString("crs", "auto");
                w.WriteString("sources", sources);
                w.WritePropertyName("cells");
                WriteLayer(w, layers[0], studyDir, withKey: false);
                w.WriteStartArray("operators");
                foreach (var op in layers.Skip(1)) WriteLayer(w, op, studyDir, withKey: true);
                w.WriteEndArray();
                if (r.Weights is not null)
                {
                    w.WriteStartObject("weights");
                    w.WriteString("path", Relative(studyDir, r.Weights));
                    w.WriteString("value", population!.Field);
                    w.WriteString("label", text.T("Population", "Population"));
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
            File.WriteAllBytes(outFull, stream.ToArray());
        }
        console.MarkupLine("[green]✓[/] " + Markup.Escape(text.T($"{r.Out} écrit ; validation…", $"{r.Out} written; validating…")));
        var study = StudyFiles.Read(outFull);
        var inspected = ValidateCommand.InspectAll(study);
        foreach (var (role, inspection) in inspected)
            console.MarkupLine("  " + Markup.Escape($"{role} : {text.Count(inspection.Features, "entité", "feature")}, "
                + (inspection.HasCoverageDefects ? text.T("défauts de couverture (voir cepgeo valider)", "coverage defects (see cepgeo validate)")
                    : text.T("aucun défaut de couverture", "no coverage defect"))));
        console.MarkupLine("[green]✓[/] " + Markup.Escape(text.T($"L'étude peut être analysée : cepgeo analyse {r.Out}",
            $"The study can be analysed: cepgeo analyze {r.Out}")));
        return 0;
    }

    private static Chosen Choose(Request r, string key, string file)
    {
        var (attributes, hasFileIds, count) = Read(file);
        string? idGiven = r.Ids.LastOrDefault(p => p.Key == key).Value;
        var id = idGiven is null ? FieldGuess.Id(attributes, hasFileIds) : Given(attributes, idGiven, file);
        if (id.Field is null && !hasFileIds)
            throw new CepGeoInputException(file, null, new Phrase($"{id.Why.Fr} ; nommez le champ identifiant avec --id {key}=CHAMP",
                $"{id.Why.En}; name the id field with --id {key}=FIELD"));
        string? nameGiven = r.Names.LastOrDefault(p => p.Key == key).Value;
        var name = nameGiven is null ? FieldGuess.Name(attributes, id.Field) : Given(attributes, nameGiven, file);
        string label = r.Labels.LastOrDefault(p => p.Key == key).Value ?? LabelOf(file);
        return new Chosen(key, file, label, id, name, count);
    }

    private static FieldChoice Given(IReadOnlyList<IReadOnlyDictionary<string, object?>> attributes, string field, string file)
    {
        if (attributes.Count > 0 && !attributes[0].ContainsKey(field))
            throw new CepGeoInputException(file, null, new Phrase(
                $"pas de propriété \"{field}\" ; propriétés : {string.Join(", ", attributes[0].Keys)}",
                $"no property \"{field}\"; properties: {string.Join(", ", attributes[0].Keys)}"));
        return new FieldChoice(field, new Phrase("donné par l'option", "given by the option"));
    }

    private static (List<IReadOnlyDictionary<string, object?>> Attributes, bool HasFileIds, int Count) Read(string file)
    {
        if (!File.Exists(file))
            throw new CepGeoInputException(file, null, new Phrase("fichier introuvable", "file not found"));
        var layer = LayerReader.Read(file, new LayerOptions(Path.GetFileName(file), null, null, IdsOptional: true, KeepAttributes: true));
        bool numbered = layer.Features.Select((f, i) => f.Id == "#" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b);
        return ([.. layer.Features.Select(f => f.Attributes)], !numbered, layer.Features.Count);
    }

    private static void WriteLayer(Utf8JsonWriter w, Chosen c, string studyDir, bool withKey)
    {
        w.WriteStartObject();
        if (withKey) w.WriteString("key", c.Key);
        w.WriteString("label", c.Label);
        w.WriteString("path", Relative(studyDir, c.Path));
        if (c.Id.Field is not null) w.WriteString("id", c.Id.Field);
        if (c.Name.Field is not null) w.WriteString("name", c.Name.Field);
        w.WriteEndObject();
    }

    private static string Relative(string studyDir, string file) => Path.GetRelativePath(studyDir, Path.GetFullPath(file)).Replace('\\', '/');

    /// <summary>"missions-locales-2025.geojson" → "Missions locales 2025".</summary>
    private static string LabelOf(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file).Replace('_', ' ').Replace('-', ' ').Trim();
        return stem.Length == 0 ? file : char.ToUpperInvariant(stem[0]) + stem[1..];
    }

    private static List<(string Key, string Value)> Pairs(CliContext context, string option, string[]? values)
    {
        var pairs = new List<(string, string)>();
        foreach (var v in values ?? [])
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == v.Length - 1)
                throw new CepGeoInputException(option, null, new Phrase($"\"{v}\" : attendu CLÉ=VALEUR", $"\"{v}\": expected KEY=VALUE"));
            pairs.Add((v[..eq].Trim(), v[(eq + 1)..].Trim()));
        }
        return pairs;
    }

    private static bool AskAtTerminal(CliContext context, string question)
    {
        context.Output.Write(question + context.T(" [O/n] ", " [Y/n] "));
        string? answer = Console.ReadLine()?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(answer) || answer is "o" or "oui" or "y" or "yes";
    }
}
