using System.Collections.Concurrent;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("CepGeo.Tests.TestRun", "CepGeo.Tests")]

namespace CepGeo.Tests;

/// <summary>
/// xunit's own test framework with an end: what a fixture shared by the whole run (one browser, one
/// national viewer, one demo output folder…) registers with <see cref="AtEnd"/> is undone when the
/// run is over, before the test process goes (its ProcessExit is not raised under <c>dotnet test</c>).
/// </summary>
public sealed class TestRun : XunitTestFramework
{
    private static readonly ConcurrentStack<Action> Ends = new();

    public TestRun(IMessageSink messageSink) : base(messageSink) => DisposalTracker.Add(new End());

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
