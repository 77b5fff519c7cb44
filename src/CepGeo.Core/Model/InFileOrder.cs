namespace CepGeo.Core.Model;

/// <summary>
/// Runs independent per-feature work on every core while keeping the error a user sees the one
/// a sequential loop would have met first: that of the lowest index.
/// </summary>
internal static class InFileOrder
{
    /// <summary>Calls <paramref name="body"/> for <c>0 .. count-1</c> in parallel; returns the exception of the lowest index that threw, or null.</summary>
    public static Exception? For(int count, Action<int> body)
    {
        var errors = new Exception?[count];
        Parallel.For(0, count, i =>
        {
            try { body(i); }
            catch (Exception e) { errors[i] = e; }
        });
        return Array.Find(errors, e => e is not null);
    }

    /// <inheritdoc cref="For"/>
    /// <remarks>Throws that exception as it was thrown (not wrapped in an AggregateException).</remarks>
    public static void ForOrThrow(int count, Action<int> body)
    {
        if (For(count, body) is { } first)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }
}
