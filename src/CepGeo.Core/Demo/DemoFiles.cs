using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Core.Model;
using CepGeo.Core.Reporting;

namespace CepGeo.Core.Demo;

/// <summary>
/// The files of the demo study (spec §1): five GeoJSON layers, <c>study.json</c> and a README. Writes to
/// streams the caller opens, so Core never touches the file system.
/// </summary>
public static class DemoFiles
{
    public const string Communes = "communes.geojson";
    public const string Cells = "cells.geojson";
    public const string MissionsLocales = "missions_locales.geojson";
    public const string Agences = "agences.geojson";
    public const string CapEmploi = "cap_emploi.geojson";
    public const string Study = "study.json";
    public const string Readme = "README.md";

    public const string StudyName = "Démo — territoire synthétique";

    /// <summary>Every file, in the order they are written.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [Communes, Cells, MissionsLocales, Agences, CapEmploi, Study, Readme];

    /// <summary>Writes every file of <see cref="FileNames"/>; <paramref name="create"/> opens a new stream for a name.</summary>
    public static void WriteAll(DemoTerritory territory, Func<string, Stream> create)
    {
        ArgumentNullException.ThrowIfNull(territory);
        ArgumentNullException.ThrowIfNull(create);

        WriteLayer(create, Communes, territory, territory.Communes, withPopulation: true);
        WriteLayer(create, Cells, territory, territory.Cells, withPopulation: false);
        WriteLayer(create, MissionsLocales, territory, territory.MissionsLocales, withPopulation: false);
        WriteLayer(create, Agences, territory, territory.Agences, withPopulation: false);
        WriteLayer(create, CapEmploi, territory, territory.CapEmploi, withPopulation: false);
        using (var stream = create(Study)) WriteStudy(stream, territory.Seed);
        using (var stream = create(Readme)) WriteReadme(stream, territory);
    }

    /// <summary>The command that regenerates the committed files for this seed.</summary>
    public static string Command(ulong seed) =>
        seed == DemoTerritory.DefaultSeed ? "cepgeo demo generate" : $"cepgeo demo generate --seed {seed}";

    private static void WriteLayer(Func<string, Stream> create, string fileName, DemoTerritory territory, IReadOnlyList<DemoZone> zones, bool withPopulation)
    {
        var features = zones.Select(z => withPopulation
            ? GeoJsonFeature.Create(z.Geometry, z.Code, ("code", z.Code), ("nom", z.Name), ("population", z.Population))
            : GeoJsonFeature.Create(z.Geometry, z.Code, ("code", z.Code), ("nom", z.Name)));
        var about = new JsonObject
        {
            ["synthetic"] = true,
            ["layer"] = Path.GetFileNameWithoutExtension(fileName),
            ["generator"] = Command(territory.Seed),
            ["seed"] = territory.Seed,
        };
        using var stream = create(fileName);
        GeoJsonWriter.Write(stream, features, [KeyValuePair.Create<string, JsonNode?>("cepgeo", about)]);
    }

    private static void WriteStudy(Stream stream, ulong seed)
    {
        var tolerances = Tolerances.Default;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("name", StudyName);
        json.WriteString("crs", "auto");
        json.WriteString("sources", $"Données synthétiques, fictives (aucun territoire réel) : générées par « {Command(seed)} » (graine {seed}).");
        WriteLayerSpec(json, "cells", null, "Cellules SPRO (fictives)", Cells);
        json.WriteStartArray("operators");
        WriteLayerSpec(json, null, "ml", "Missions locales", MissionsLocales);
        WriteLayerSpec(json, null, "pe", "Agences France Travail", Agences);
        WriteLayerSpec(json, null, "cap", "Cap emploi (source différente)", CapEmploi);
        json.WriteEndArray();
        json.WriteStartObject("weights");
        json.WriteString("path", Communes);
        json.WriteString("value", "population");
        json.WriteString("label", "Population (synthétique)");
        json.WriteEndObject();
        SummaryJson.WriteTolerances(json, tolerances);
        json.WriteEndObject();
        json.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>A layer entry, members in the order of spec §1.</summary>
    private static void WriteLayerSpec(Utf8JsonWriter json, string? propertyName, string? key, string label, string path)
    {
        if (propertyName is null) json.WriteStartObject();
        else json.WriteStartObject(propertyName);
        if (key is not null)
        {
            json.WriteString("key", key);
            json.WriteString("label", label);
        }
        json.WriteString("path", path);
        json.WriteString("id", "code");
        json.WriteString("name", "nom");
        if (key is null) json.WriteString("label", label);
        json.WriteEndObject();
    }

    private static void WriteReadme(Stream stream, DemoTerritory t)
    {
        string text = $"""
            # Demo data: a synthetic territory

            **Everything in this folder is synthetic.** The communes, their names, their populations, the
            coordination cells and the operator zones are invented. The territory lies around 45°N 4.5°E only so
            that coordinates look French; it does not follow any real boundary, and no real commune, Mission
            locale, France Travail agency or Cap emploi is described here.

            It exists so that `cepgeo analyze` has something to chew on in a fresh clone, and so that tests have
            a territory whose defects are known in advance.

            ## Files

            | file | features | what |
            |---|---|---|
            | `{Communes}` | {t.Communes.Count} | communes: `code` (99001…), `nom`, `population` (integer) |
            | `{Cells}` | {t.Cells.Count} | coordination cells (SPRO), unions of communes: `code`, `nom` |
            | `{MissionsLocales}` | {t.MissionsLocales.Count} | Missions locales, unions of communes, misaligned with the cells |
            | `{Agences}` | {t.Agences.Count} | France Travail agencies, unions of communes, misaligned with the cells |
            | `{CapEmploi}` | {t.CapEmploi.Count} | Cap emploi, "digitised from a different source": has a gap, a double coverage and slivers |
            | `{Study}` | | the study file (cells, operators `ml`, `pe`, `cap`, weights = commune population) |

            ## How it was made

            1. An irregular outline, about 60 × 50 km: an ellipse with a few random harmonics.
            2. {DemoTerritory.CommuneCount} commune seats scattered inside with a minimum spacing; the communes are their Voronoi
               cells clipped to the outline, noded together on a 1e-6° grid so that neighbours share their
               boundary exactly. Names are drawn from French-sounding syllables; a few towns have 10 000–60 000
               inhabitants, their neighbours 1 200–6 000, the other villages 100–2 000.
            3. Cells, Missions locales and agencies are unions of whole communes (each commune goes to the
               nearest of a few centres placed differently for each layer), so they cover the territory exactly
               and straddle each other's boundaries.
            4. Cap emploi starts the same way, then is redrawn as if digitised from another map: one zone's
               boundary is pushed about 1 km into its neighbour along ~5 km (a double coverage of a few km²),
               another zone is pulled back about 1 km (a gap of a few km²), and every vertex is moved by 5–40 m
               after densifying the boundaries to 250 m, which leaves thin slivers (narrower than the default
               50 m sliver width) all along the boundaries.

            Randomness comes from a SplitMix64 generator seeded with {t.Seed}; the same seed gives byte-identical files.

            ## Regenerate

            ```
            dotnet run --project src/CepGeo.Cli -- demo generate --out data/demo --seed {t.Seed}
            ```

            """;
        var bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"));
        stream.Write(bytes);
    }
}
