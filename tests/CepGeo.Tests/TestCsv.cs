using CepGeo.Core.Loading;

namespace CepGeo.Tests;

/// <summary>A CSV file (ours or the shared data's) as rows keyed by column name, read with Core's CSV reader.</summary>
internal static class TestCsv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var table = CsvTable.Read(stream, Path.GetFileName(path));
        return [.. table.Rows.Select(r => table.Header.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second))];
    }
}
