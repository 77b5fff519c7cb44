using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("CepGeo.Tests.LongFirst", "CepGeo.Tests")]

namespace CepGeo.Tests;

/// <summary>
/// A test class long enough to set the floor of the whole run on CI's two cores (a national analysis
/// run several times): started before the others, so that it runs beside them instead of holding the
/// run open after they are done (issue 28). Mark only the longest, and no browser test: started with
/// those on a loaded machine, the national page once took over 30 s to be ready (load 60).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RunsLongAttribute : Attribute;

/// <summary>
/// The test classes marked <see cref="RunsLongAttribute"/> first, then the others in xunit's own order.
/// </summary>
public sealed class LongFirst : ITestCollectionOrderer
{
    private const string Prefix = "Test collection for ";

    private readonly DefaultTestCollectionOrderer _default = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        _default.OrderTestCollections(testCollections).OrderBy(c => RunsLong(c) ? 0 : 1); // OrderBy is stable

    private static bool RunsLong(ITestCollection collection) =>
        collection.CollectionDefinition is null
        && collection.DisplayName.StartsWith(Prefix, StringComparison.Ordinal)
        && typeof(LongFirst).Assembly.GetType(collection.DisplayName[Prefix.Length..]) is { } type
        && type.IsDefined(typeof(RunsLongAttribute), inherit: false);
}
