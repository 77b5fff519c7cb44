namespace CepGeo.Core.Common;

/// <summary>
/// Two lines of work over one sequence of items, each in order: a task makes the items ready and
/// says how many are, the calling thread uses them as they become ready. The noder uses it where
/// each line owns one of a <see cref="PointIndex"/>'s hash tables (points, pairs): each table's
/// cache misses are then waited for on a core of their own.
/// </summary>
internal sealed class TwoLines
{
    private int _ready;
    private bool _stop;
    private Task _producer = Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="produce"/> on a task and <paramref name="consume"/> on this thread. When
    /// <paramref name="consume"/> fails, the producer is told to stop and waited for, and the
    /// consumer's failure is the one thrown; the producer's own failure reaches the consumer at
    /// its next <see cref="WaitFor"/>.
    /// </summary>
    public static void Run(Action<TwoLines> produce, Action<TwoLines> consume)
    {
        var lines = new TwoLines();
        lines._producer = Task.Run(() => produce(lines));
        try
        {
            consume(lines);
        }
        catch
        {
            Volatile.Write(ref lines._stop, true);
            try { lines._producer.Wait(); } catch (AggregateException) { }
            throw;
        }
        lines._producer.GetAwaiter().GetResult();
    }

    /// <summary>For the producer: whether the consumer has failed (stop making items).</summary>
    public bool Stopped => Volatile.Read(ref _stop);

    /// <summary>For the producer: items <c>0 .. ready-1</c> are made (what it wrote for them is then visible to the consumer).</summary>
    public void Publish(int ready) => Volatile.Write(ref _ready, ready);

    /// <summary>For the consumer: waits until <paramref name="item"/> is ready; how many are.</summary>
    public int WaitFor(int item)
    {
        int ready;
        var wait = new SpinWait();
        while ((ready = Volatile.Read(ref _ready)) <= item)
        {
            if (_producer.IsCompleted)
            {
                _producer.GetAwaiter().GetResult(); // rethrows what stopped it
                if (Volatile.Read(ref _ready) <= item)
                    throw new InvalidOperationException($"The producing line ended with {_ready} items ready, before item {item}.");
            }
            wait.SpinOnce();
        }
        return ready;
    }
}
