using System.Text.Json;
using CepGeo.Core.Demo;
using CepGeo.Tests.Cli;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace CepGeo.Tests.Demo;

public sealed class DemoGenerateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cepgeo-demo-" + Guid.NewGuid().ToString("N"));

    private static string Committed(string name) => Path.Combine(TestPaths.RepoRoot, "data", "demo", name);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Regenerating_GivesFilesByteIdenticalToTheCommittedOnes()
    {
        var run = CliRun.Of("demo", "generate", "--out", _dir);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        foreach (string name in DemoFiles.FileNames)
        {
            byte[] expected = File.ReadAllBytes(Committed(name));
            byte[] actual = File.ReadAllBytes(Path.Combine(_dir, name));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"{name} differs from data/demo/{name}: run `{DemoFiles.Command(DemoTerritory.DefaultSeed)} --out data/demo` and commit if the change is intended");
        }
        Assert.Equal(DemoFiles.FileNames.Order(StringComparer.Ordinal), Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OtherSeed_WritesOtherFiles_AndSaysSoInTheStudy()
    {
        var run = CliRun.Of("demo", "generate", "--out", _dir, "--seed", "42");

        Assert.Equal(0, run.ExitCode);
        Assert.NotEqual(File.ReadAllBytes(Committed(DemoFiles.Communes)), File.ReadAllBytes(Path.Combine(_dir, DemoFiles.Communes)));
        Assert.Contains("--seed 42", File.ReadAllText(Path.Combine(_dir, DemoFiles.Study)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DemoFiles.Communes, 150)]
    [InlineData(DemoFiles.Cells, 4)]
    [InlineData(DemoFiles.MissionsLocales, 3)]
    [InlineData(DemoFiles.Agences, 6)]
    [InlineData(DemoFiles.CapEmploi, 3)]
    public void CommittedLayers_ReadWithGeoJson4Stj_WithCodeAndNom(string file, int count)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());

        var collection = JsonSerializer.Deserialize<FeatureCollection>(File.ReadAllText(Committed(file)), options)!;

        Assert.Equal(count, collection.Count);
        Assert.All(collection, f =>
        {
            Assert.True(f.Geometry.IsValid);
            Assert.IsType<string>(f.Attributes["code"]);
            Assert.IsType<string>(f.Attributes["nom"]);
        });
    }

    [Fact]
    public void CommittedStudy_FollowsSpecSection1()
    {
        using var study = JsonDocument.Parse(File.ReadAllText(Committed(DemoFiles.Study)));
        var root = study.RootElement;

        Assert.Equal("Démo — territoire synthétique", root.GetProperty("name").GetString());
        Assert.Equal("auto", root.GetProperty("crs").GetString());
        Assert.Equal("code", root.GetProperty("cells").GetProperty("id").GetString());
        Assert.Equal("nom", root.GetProperty("cells").GetProperty("name").GetString());
        Assert.Equal(["ml", "pe", "cap"], root.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("key").GetString()));
        Assert.Equal(
            ["Missions locales", "Agences France Travail", "Cap emploi (source différente)"],
            root.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
        Assert.Equal("population", root.GetProperty("weights").GetProperty("value").GetString());
        Assert.Equal(50, root.GetProperty("tolerances").GetProperty("sliverWidthM").GetDouble());
        Assert.Contains("synthétiques", root.GetProperty("sources").GetString(), StringComparison.Ordinal);
        foreach (var layer in root.GetProperty("operators").EnumerateArray().Append(root.GetProperty("cells")).Append(root.GetProperty("weights")))
            Assert.True(File.Exists(Committed(layer.GetProperty("path").GetString()!)));
    }
}
