using System.Collections.Concurrent;
using CepGeo.Cli.Commands;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;

namespace CepGeo.Tests;

/// <summary>
/// data/&lt;folder&gt;/study.json analysed in-process as <c>cepgeo analyze</c> analyses it (its sites
/// included), once per test run and shared, read-only: the study viewers serve it, NationalSitesTests
/// checks the national sites' figures on it, the national SIGKILL series writes its reference results
/// from it (CI time, issue 28: the national study was analysed three times in-process for those).
/// </summary>
internal static class SharedAnalysis
{
    private static readonly ConcurrentDictionary<string, Lazy<AnalysisResult>> Results = new(StringComparer.Ordinal);

    public static string StudyPath(string studyFolder) => Path.Combine(TestPaths.RepoRoot, "data", studyFolder, "study.json");

    /// <summary>The analysis of data/<paramref name="studyFolder"/>/study.json; read it, never change it.</summary>
    public static AnalysisResult Of(string studyFolder) =>
        Results.GetOrAdd(studyFolder, folder => new Lazy<AnalysisResult>(() =>
            Analysis.Run(StudyFiles.Read(StudyPath(folder)), StudyFiles.LoadLayer, StudyFiles.LoadWeights, loadSites: StudyFiles.LoadSites))).Value;
}
