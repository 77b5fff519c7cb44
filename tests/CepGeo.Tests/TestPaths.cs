namespace CepGeo.Tests;

/// <summary>Where the repository and the shared data are, wherever the tests run from.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>../shared/data</c> beside the repository (CI lays it there too).</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "Fixtures", .. parts]);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CepGeo.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CepGeo.sln not found above " + AppContext.BaseDirectory);
    }
}
