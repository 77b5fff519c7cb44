using System.Text;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Design;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// The SVG maps are lettered through Latin subsets of DejaVu Sans (src/CepGeo.Cli/Fonts/make-latin.sh): Skia's SVG canvas
/// rebuilds the whole glyph-to-character map of the typeface for every text it writes, a quarter of the work on the subset
/// (issue 28). The subset must change nothing a planner gets: the same SVG, every character the shipped studies and the
/// glossary write, and the full font for any text it lacks.
/// </summary>
public sealed class LatinFontTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    /// <summary>Every character of the shipped studies' files (study.json and each layer it names: names, labels, sources,
    /// the geometry's digits) and of the glossary in both languages is in both subsets.</summary>
    [Fact]
    public void Subsets_HaveEveryCharacter_OfTheShippedStudiesAndTheGlossary()
    {
        // ~90 MB of text: a flag per character of the basic plane, a set for the others.
        var basic = new bool[0x10000];
        var astral = new SortedSet<int>();
        void Add(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (!char.IsSurrogate(c)) basic[c] = true;
                else if (Rune.TryGetRuneAt(text, i, out var rune))
                {
                    astral.Add(rune.Value);
                    i += rune.Utf16SequenceLength - 1;
                }
            }
        }
        int files = 0;
        foreach (string study in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data"), "study.json", SearchOption.AllDirectories))
        {
            string json = File.ReadAllText(study);
            Add(json);
            files++;
            foreach (string path in Paths(JsonDocument.Parse(json).RootElement))
            {
                Add(File.ReadAllText(Path.Combine(Path.GetDirectoryName(study)!, path)));
                files++;
            }
        }
        foreach (var term in PlannerStyle.Words.Values)
        {
            Add(term.In("fr"));
            Add(term.In("en"));
        }
        // The three studies and their layers, weights and sites; 'é' (Zones d'emploi... France métropolitaine) and the
        // narrow no-break space of French numbers among the characters.
        Assert.True(files >= 17, $"{files} files read");
        Add(MapText.Fr.People(12_345));
        var chars = Enumerable.Range(0, basic.Length).Where(c => basic[c] && !char.IsControl((char)c)).Concat(astral).ToList();
        Assert.Contains('é', chars);
        Assert.Contains('É', chars);
        Assert.Contains(0x202F, chars);
        using var regular = Font("DejaVuSans-Latin.ttf");
        using var bold = Font("DejaVuSans-Bold-Latin.ttf");
        var missing = chars.Where(c => !regular.ContainsGlyphs(char.ConvertFromUtf32(c)) || !bold.ContainsGlyphs(char.ConvertFromUtf32(c)))
            .Select(c => $"U+{c:X4}").ToList();
        Assert.True(missing.Count == 0, "missing from the Latin subsets: " + string.Join(' ', missing));
    }

    /// <summary>A text with a character outside the subset (Greek) is written with the full font; a Latin one with the subset;
    /// a face that is not one of the pair has no subset.</summary>
    [Fact]
    public void LatinFor_GivesTheSubset_OnlyForTextItHasEveryCharacterOf()
    {
        using var fonts = MapFiles.LoadFonts();
        var latin = fonts.LatinFor(fonts.Regular, "Aix-en-Provence, Œuvre d'Ézy 12\u202F345 € → ≤");
        Assert.NotNull(latin);
        Assert.Equal("DejaVu Sans", latin!.FamilyName);
        Assert.True(latin.GlyphCount < fonts.Regular.GlyphCount / 3, $"{latin.GlyphCount} glyphs against {fonts.Regular.GlyphCount}");
        Assert.NotNull(fonts.LatinFor(fonts.Bold, "Désalignement"));
        Assert.NotSame(fonts.LatinFor(fonts.Regular, "a"), fonts.LatinFor(fonts.Bold, "a"));
        Assert.Null(fonts.LatinFor(fonts.Regular, "Ελλάδα"));
        Assert.Null(fonts.LatinFor(fonts.Bold, "Nice Ω"));
        using var other = SKTypeface.FromData(SKData.CreateCopy(Resource("DejaVuSans.ttf")));
        Assert.Null(fonts.LatinFor(other, "a"));
    }

    /// <summary>A PACA fiche's SVG and a study map's SVG written through the subsets are the very SVG written with the full
    /// fonts (the same names, weights and glyph advances): report.html and maps/*.svg keep their bytes.</summary>
    [Fact]
    public void SvgThroughTheSubsets_IsTheSvgOfTheFullFonts()
    {
        using var withSubsets = MapFiles.LoadFonts();
        using var full = MapFonts.FromStreams(new MemoryStream(Resource("DejaVuSans.ttf")), new MemoryStream(Resource("DejaVuSans-Bold.ttf")));
        var content = ReportContent.Build(paca.Result);
        var scene = MapScene.Build(paca.Result, lambert93: true);
        MapOptions Options(MapFonts f) => new(f, MapText.Fr, "test", "2026-01-01", Names: content.Names, TextScale: MapFiles.FicheTextScale);
        for (int cell = 0; cell < 3; cell++)
        {
            var spec = new MapSpec("fiche", MapKind.Territory, Cell: cell);
            using var paths = TerritoryPaths.ForFiche(scene, cell);
            string a = FicheSvg.Write(scene, spec, Options(withSubsets), paths), b = FicheSvg.Write(scene, spec, Options(full), paths);
            Assert.Contains("<text", a);
            Assert.Equal(b, a);
        }
        foreach (var map in new[] { new MapSpec("overview", MapKind.Overview), new MapSpec("misfit", MapKind.Misfit, paca.Result.Infos[1].Key) })
        {
            using var sa = new MemoryStream();
            using var sb = new MemoryStream();
            MapRenderer.WriteSvg(sa, scene, map, Options(withSubsets) with { TextScale = 1 });
            MapRenderer.WriteSvg(sb, scene, map, Options(full) with { TextScale = 1 });
            Assert.Equal(sb.ToArray(), sa.ToArray());
        }
    }

    private static IEnumerable<string> Paths(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
                if (p.Name == "path" && p.Value.ValueKind == JsonValueKind.String) yield return p.Value.GetString()!;
                else
                    foreach (var s in Paths(p.Value)) yield return s;
        }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray())
                foreach (var s in Paths(item)) yield return s;
    }

    private static SKFont Font(string name) => new(SKTypeface.FromData(SKData.CreateCopy(Resource(name))));

    private static byte[] Resource(string name)
    {
        using var s = typeof(MapFiles).Assembly.GetManifestResourceStream("CepGeo.Fonts." + name)
            ?? throw new InvalidOperationException($"no embedded font {name}");
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
