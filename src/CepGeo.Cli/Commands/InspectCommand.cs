using System.CommandLine;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo inspect FILE… [--id FIELD] [--json]</c>: what a layer holds and its own coverage defects.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("files") { Description = context.T("Fichiers de couches (.geojson, .json, .shp, .gpkg)", "Layer files (.geojson, .json, .shp, .gpkg)"), Arity = ArgumentArity.OneOrMore };
        var id = new Option<string?>("--id") { Description = context.T("Propriété portant les identifiants (défaut : l'id des entités du fichier, sinon elles sont numérotées)",
            "Property holding feature ids (default: the file's own feature id, else features are numbered)") };
        var table = new Option<string?>("--table") { Description = context.T("Table du GeoPackage à lire", "GeoPackage table to read") };
        var json = new Option<bool>("--json") { Description = context.T("JSON lisible par un programme au lieu des tableaux", "Machine-readable JSON instead of tables") };
        var command = new Command("inspect", context.T(
            "Décrire des couches de polygones : entités, SCR, emprise, surface, réparations, chevauchements et trous",
            "Describe polygon layers: features, CRS, extent, equal-area size, repairs, overlaps and gaps"))
        {
            files, id, table, json,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(files)!, parsed.GetValue(id), parsed.GetValue(table), parsed.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string[] files, string? idField, string? table, bool json)
    {
        var results = new List<LayerInspection>();
        foreach (var file in files)
        {
            InputLimit.CheckFile(file, file);
            if (string.Equals(Path.GetExtension(file), ".shp", StringComparison.OrdinalIgnoreCase))
                InputLimit.CheckFile(Path.ChangeExtension(file, ".dbf"), file);
            // Ids only name features in messages here: number them when the file has none.
            var layer = LayerReader.Read(file, new LayerOptions(Path.GetFileName(file), idField, null, table, IdsOptional: idField is null));
            results.Add(LayerInspector.Inspect(layer, Tolerances.Default));
        }
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = InspectionOutput.JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (var r in results) InspectionOutput.WriteJson(w, r);
                w.WriteEndArray();
            }
            context.Output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            for (int i = 0; i < files.Length; i++)
                InspectionOutput.WriteHuman(context.Console, context.Text, files[i], results[i]);
        }
        return 0;
    }
}
