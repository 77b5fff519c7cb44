using System.Text;
using System.Text.RegularExpressions;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;

namespace CepGeo.Tests.Loading;

/// <summary>
/// A seeded mutation fuzz of the GeoJSON loader (reader then repair, as <c>analyze</c> loads a
/// layer): whatever the bytes, the answer is a layer or a <see cref="CepGeoInputException"/>, never
/// another exception and never a hang.
/// </summary>
public partial class GeoJsonFuzzTests
{
    private const int Seed = 20250505;
    private const int Cases = 3000;

    /// <summary>Per case: a parse of these few-kB files takes milliseconds; seconds mean a loop.</summary>
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The whole run stays well inside CI's 60 s bound on a slow shared machine.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    private static readonly byte[] Junk = "{}[],:\"-+.0123456789eENaInfity \t\n\\u\0\u00e9"u8.ToArray();

    /// <summary>Every valid file the project ships: the accepted loading fixtures and the demo layers.</summary>
    private static List<(string Name, byte[] Bytes)> Seeds()
    {
        var files = new[] { "single-feature.geojson", "numeric-ids.geojson", "mixed-types.geojson", "geometry-collection.geojson",
                "z-coordinates.geojson", "bowtie.geojson", "unclosed-ring.geojson", "hole-outside-shell.geojson",
                "crs-lambert93-urn.geojson", "crs-after-features.geojson", "properties-types.geojson", "utf8-bom.geojson",
                "utf16le-bom.geojson" }
            .Select(n => TestPaths.Fixture("loading", n))
            .Concat(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "demo"), "*.geojson").Order(StringComparer.Ordinal))
            .Append(TestPaths.Fixture("hostile", "empty-multipolygon.geojson"));
        return [.. files.Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }

    [GeneratedRegex(@"\[-?[0-9.eE+-]+,\s*-?[0-9.eE+-]+\]")]
    private static partial Regex Position();

    /// <summary>The same mutations for other formats (<see cref="FormatFuzzTests"/>).</summary>
    internal static byte[] MutateBytes(byte[] input, Random rng) => Mutate(input, rng);

    private static byte[] Mutate(byte[] input, Random rng)
    {
        var bytes = new List<byte>(input);
        int mutations = rng.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = rng.Next(bytes.Count);
            switch (rng.Next(7))
            {
                case 0: // flip one bit
                    bytes[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2: // insert a JSON-significant or awkward character
                    bytes.Insert(at, Junk[rng.Next(Junk.Length)]);
                    break;
                case 3: // delete a run
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, rng.Next(1, 12)));
                    break;
                case 4: // duplicate a run (a member, a bracket, part of a number)
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, rng.Next(1, 40))));
                    break;
                case 5: // duplicate a coordinate
                {
                    string text = Encoding.UTF8.GetString(bytes.ToArray());
                    var positions = Position().Matches(text);
                    if (positions.Count == 0) goto case 0;
                    var p = positions[rng.Next(positions.Count)];
                    text = text.Insert(p.Index + p.Length, "," + p.Value);
                    bytes = [.. Encoding.UTF8.GetBytes(text)];
                    break;
                }
                default: // replace a digit with another number-ish token
                {
                    string[] tokens = ["1e308", "-0", "NaN", "1e-320", "99999999999999999999", "\"5\"", "null", "[]", "true"];
                    string text = Encoding.UTF8.GetString(bytes.ToArray());
                    var positions = Position().Matches(text);
                    if (positions.Count == 0) goto case 2;
                    var p = positions[rng.Next(positions.Count)];
                    string[] xy = p.Value.Trim('[', ']').Split(',');
                    xy[rng.Next(2)] = tokens[rng.Next(tokens.Length)];
                    text = text.Remove(p.Index, p.Length).Insert(p.Index, "[" + string.Join(",", xy) + "]");
                    bytes = [.. Encoding.UTF8.GetBytes(text)];
                    break;
                }
            }
        }
        return [.. bytes];
    }

    /// <summary>null when the outcome is allowed (a layer or a clean input error), else what went wrong.</summary>
    private static string? Load(byte[] bytes, string name)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var layer = GeoJsonLayerReader.Read(stream, new LayerOptions(name, null, null, IdsOptional: true));
            LayerRepair.Repair(layer);
            return null;
        }
        catch (CepGeoInputException ex)
        {
            return string.IsNullOrWhiteSpace(ex.Problem) || !ex.Message.StartsWith(name + ":", StringComparison.Ordinal)
                ? "input error not naming the file: " + ex.Message
                : null;
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }
    }

    [Theory]
    [InlineData("{\"type\": \"FeatureCollection\", \"featur\u00e9s\": []}")]
    [InlineData("{\"type\": \"Featur\u00e9\", \"features\": []}")]
    public void Regression_Latin1ByteInATopLevelMemberOrType_IsAnInputError_NotInvalidOperationException(string json)
    {
        // "é" as one Latin-1 byte (0xE9), outside any feature: the fuzz run found it escaping as
        // InvalidOperationException from Utf8JsonReader.GetString.
        byte[] bytes = Encoding.Latin1.GetBytes(json);
        var ex = Assert.Throws<CepGeoInputException>(() =>
            GeoJsonLayerReader.Read(new MemoryStream(bytes), new LayerOptions("latin1.geojson", null, null)));
        Assert.Equal("latin1.geojson: text that is not valid UTF-8 (GeoJSON must be UTF-8; was the file saved as Latin-1/Windows-1252?)", ex.Message);
    }

    [Fact]
    public async Task Mutations_OfEveryValidFile_GiveALayerOrAnInputError_NeverACrashOrAHang()
    {
        var seeds = Seeds();
        var rng = new Random(Seed);
        var failures = new List<string>();
        int ran = 0, errors = 0;
        var started = DateTime.UtcNow;
        for (int i = 0; i < Cases && DateTime.UtcNow - started < Budget && failures.Count < 5; i++)
        {
            var (name, original) = seeds[rng.Next(seeds.Count)];
            byte[] mutated = Mutate(original, rng);
            var task = Task.Run(() => Load(mutated, name));
            if (await Task.WhenAny(task, Task.Delay(CaseTimeout)) != task)
            {
                failures.Add($"case {i} ({name}): no answer after {CaseTimeout.TotalSeconds} s\n{Preview(mutated)}");
                break;
            }
            ran++;
            if (await task is { } failure)
            {
                errors++;
                failures.Add($"case {i} ({name}): {failure}\n{Preview(mutated)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // The loop must have done real work, not stopped at its first case.
        Assert.True(ran >= 500, $"only {ran} cases ran");
    }

    private static string Preview(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        return text.Length <= 600 ? text : text[..600] + "…";
    }
}
