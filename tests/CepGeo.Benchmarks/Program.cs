using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CepGeo.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/CepGeo.Benchmarks -- --filter '*'</c> (or a class name,
/// e.g. <c>--filter '*Pipeline*'</c>). A short job: one launch, one warm-up, three measured
/// iterations, so that the whole set takes minutes; the steps are seconds long, so three iterations
/// already show a stable mean. Add <c>--inProcess</c> to skip building the child project.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
