using CepGeo.Core.Reporting;

namespace CepGeo.Tests.Reporting;

public class BoxedTests
{
    [Fact]
    public void ZeroOneFlagsSmallCounts_SharedBoxesOfTheSameTypeAndValue()
    {
        Assert.Same(Boxed.Of(0.0), Boxed.Of(0.0));
        Assert.Same(Boxed.Of(1.0), Boxed.Of(1.0));
        Assert.Same(Boxed.Of(true), Boxed.Of(true));
        Assert.Same(Boxed.Of(3), Boxed.Of(3));
        Assert.Equal(0.0, Assert.IsType<double>(Boxed.Of(0.0)));
        Assert.Equal(1.0, Assert.IsType<double>(Boxed.Of(1.0)));
        Assert.False(Assert.IsType<bool>(Boxed.Of(false)));
        Assert.Equal(63, Assert.IsType<int>(Boxed.Of(63)));
        Assert.Equal(64, Assert.IsType<int>(Boxed.Of(64)));
        Assert.Equal(-1, Assert.IsType<int>(Boxed.Of(-1)));
        Assert.Equal(0.7160150222431587, Assert.IsType<double>(Boxed.Of(0.7160150222431587)));
        Assert.Null(Boxed.Of((double?)null));
        Assert.Null(Boxed.Of((int?)null));
    }

    [Fact]
    public void NegativeZero_KeepsItsSign()
    {
        // −0.0 == 0.0, but its text is "-0.0": it must not become the shared 0.
        object box = Boxed.Of(-0.0);
        Assert.NotSame(Boxed.Of(0.0), box);
        Assert.True(double.IsNegative((double)box));
        Assert.Equal("-0.0", CsvTables.Cell(box));
        Assert.Equal("0.0", CsvTables.Cell(Boxed.Of(0.0)));
    }
}
