using System.Diagnostics;
using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;

namespace CepGeo.Tests.Loading;

/// <summary>
/// The GeoJSON fuzzer's mutations (<see cref="GeoJsonFuzzTests"/>) on the other things CepGeo reads:
/// study files, CSV commune lists, Shapefiles (.shp and .dbf) and GeoPackages. Whatever the bytes,
/// the answer is a result or a <see cref="CepGeoInputException"/>, never another exception or a hang.
/// Bounded: a few hundred cases each, within seconds.
/// </summary>
public sealed class FormatFuzzTests : IDisposable
{
    private const int Cases = 300;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs mutated copies of the seeds through <paramref name="load"/>; returns how many ran.</summary>
    private static async Task<int> Fuzz(int seed, IReadOnlyList<byte[]> seeds, Action<byte[]> load)
    {
        var rng = new Random(seed);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int ran = 0;
        for (int i = 0; i < Cases && clock.Elapsed < Budget && failures.Count < 5; i++)
        {
            byte[] mutated = GeoJsonFuzzTests.MutateBytes(seeds[rng.Next(seeds.Count)], rng);
            var task = Task.Run(() =>
            {
                try
                {
                    load(mutated);
                    return null;
                }
                catch (CepGeoInputException)
                {
                    return null;
                }
                catch (Exception e)
                {
                    return e.ToString();
                }
            });
            if (await Task.WhenAny(task, Task.Delay(CaseTimeout)) != task)
            {
                failures.Add($"case {i}: no answer after {CaseTimeout.TotalSeconds} s; the input is kept in {Keep(seed, i, mutated)}");
                break;
            }
            ran++;
            if (await task is { } failure) failures.Add($"case {i}: {failure}\nthe input is kept in {Keep(seed, i, mutated)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        return ran;
    }

    /// <summary>A failing case's bytes, kept outside the test's folder to reproduce it.</summary>
    private static string Keep(int seed, int i, byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cepgeo-fuzz-{seed}-{i}.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Demo(string name) => Path.Combine(TestPaths.RepoRoot, "data", "demo", name);

    [Fact]
    public async Task StudyFiles()
    {
        var seeds = new[] { Demo("study.json"), Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json") }.Select(File.ReadAllBytes).ToList();
        int ran = await Fuzz(21, seeds, bytes => StudyReader.Read(new MemoryStream(bytes), "study.json", _dir.Path));
        Assert.True(ran >= 100, $"only {ran} cases");
    }

    [Fact]
    public async Task CsvLists()
    {
        var seeds = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("commune_code,zone_code,zone_name\n04001,Z1,\"Digne, sud\"\n2A004,Z2,Ajaccio\n13055,Z1,\"Marseille \"\"centre\"\"\"\n"),
            TextEncodings.Windows1252.GetBytes("code;nom\n13001;Aix-en-Provence é\n13002;Allauch\n"),
        };
        seeds.Add([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("code;nom\n13001;Aix\n")]);
        string shared = TestPaths.Shared("paca", "missions-locales-2025.csv");
        if (File.Exists(shared)) seeds.Add(File.ReadAllBytes(shared).Take(4000).ToArray());
        int ran = await Fuzz(2121, seeds, bytes =>
        {
            var table = CsvTable.Read(new MemoryStream(bytes), "list.csv");
            if (table.Header.Count > 0) table.Column(table.Header[0], "--member-code");
        });
        Assert.True(ran >= 100, $"only {ran} cases");
    }

    private string Ogr(string format, string extension)
    {
        string path = _dir.File("seed" + extension);
        var psi = new ProcessStartInfo("ogr2ogr", ["-f", format, path, Demo("cells.geojson")]) { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "ogr2ogr (gdal-bin, installed by .ci/run) could not write the seed " + format);
        return path;
    }

    [Fact]
    public async Task Shapefiles()
    {
        string shp = Ogr("ESRI Shapefile", ".shp");
        byte[] shpBytes = File.ReadAllBytes(shp), dbfBytes = File.ReadAllBytes(Path.ChangeExtension(shp, ".dbf"));
        var options = new LayerOptions("zones.shp", "code", "nom");
        // Half the cases mutate the geometry file, half the attribute table.
        int ran = await Fuzz(212, [shpBytes], bytes =>
            LayerRepair.Repair(ShapefileLayerReader.Read(new MemoryStream(bytes), new MemoryStream(dbfBytes), null, options)));
        ran += await Fuzz(2122, [dbfBytes], bytes =>
            LayerRepair.Repair(ShapefileLayerReader.Read(new MemoryStream(shpBytes), new MemoryStream(bytes), null, options)));
        Assert.True(ran >= 200, $"only {ran} cases");
    }

    [Fact]
    public async Task Regression_ShpWithEightBytesLost_IsRefusedAsDamaged_NotLoopedOn()
    {
        // The fuzzer's case: a run of 8 bytes gone from the middle of the first polygon's points; the
        // reader then read later record headers out of step and never returned.
        string shp = Ogr("ESRI Shapefile", ".shp");
        byte[] bytes = File.ReadAllBytes(shp);
        File.WriteAllBytes(shp, [.. bytes[..319], .. bytes[327..]]);

        var run = Task.Run(() => LayerReader.Read(shp, new LayerOptions("zones.shp", "code", "nom")));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run, "the reader did not return");
        var e = await Assert.ThrowsAsync<CepGeoInputException>(() => run);
        Assert.Equal($"zones.shp: the .shp file is damaged or truncated: its header gives a length of {bytes.Length} bytes, the file has {bytes.Length - 8}", e.Message);
    }

    [Fact]
    public async Task GeoPackages()
    {
        string gpkg = Ogr("GPKG", ".gpkg");
        byte[] bytes0 = File.ReadAllBytes(gpkg);
        int n = 0;
        int ran = await Fuzz(21212, [bytes0], bytes =>
        {
            string path = _dir.File($"case{Interlocked.Increment(ref n)}.gpkg");
            File.WriteAllBytes(path, bytes);
            LayerRepair.Repair(GeoPackageLayerReader.Read(path, new LayerOptions("zones.gpkg", "code", "nom")));
        });
        Assert.True(ran >= 100, $"only {ran} cases");
    }
}
