using System.Collections.Concurrent;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("CepGeo.Tests.TestRun", "CepGeo.Tests")]

// Four test classes at a time on CI's two cores (issue 28): many tests wait rather than compute (a
// browser drawing, a child cepgeo started and killed, a server's answer, PostgreSQL starting), and
// with one class per core the cores sat idle through those waits. README.md of this project.
[assembly: CollectionBehavior(MaxParallelThreads = CepGeo.Tests.TestRun.ParallelClasses)]

namespace CepGeo.Tests;

/// <summary>
/// xunit's own test framework with an end: what a fixture shared by the whole run (one browser, one
/// national viewer, one demo output folder…) registers with <see cref="AtEnd"/> is undone when the
/// run is over, before the test process goes (its ProcessExit is not raised under <c>dotnet test</c>).
/// </summary>
public sealed class TestRun : XunitTestFramework
{
    /// <summary>How many test classes run at once (xunit's default is one per core).</summary>
    public const int ParallelClasses = 4;

    private static readonly ConcurrentStack<Action> Ends = new();

    public TestRun(IMessageSink messageSink) : base(messageSink)
    {
        DisposalTracker.Add(new End());
        // Tests that block a pool thread (a child process waited for, a synchronous analysis) must not
        // starve the in-process viewers and browsers of the threads their answers need: the pool
        // otherwise adds a thread only every half second or so once its minimum is in use.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * ParallelClasses), io);
    }

    /// <summary>Runs <paramref name="end"/> when the test run is over (the last registered first).</summary>
    public static void AtEnd(Action end) => Ends.Push(end);

    private sealed class End : IDisposable
    {
        public void Dispose()
        {
            while (Ends.TryPop(out var end))
            {
                try { end(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException or ObjectDisposedException or TimeoutException)
                {
                    // Leave a folder or a browser that will not go to the system; the results are already reported.
                }
            }
        }
    }
}
