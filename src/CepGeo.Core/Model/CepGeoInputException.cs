namespace CepGeo.Core.Model;

/// <summary>
/// A problem with what the user gave us (a file, a feature, a study field): printed as one line
/// without a stack trace, exit code 2. Never used for our own bugs.
/// </summary>
public sealed class CepGeoInputException : Exception
{
    public CepGeoInputException(string source, string? feature, string problem, Exception? inner = null)
        : base(Format(source, feature, problem), inner)
    {
        Input = source;
        Feature = feature;
        Problem = problem;
    }

    public CepGeoInputException() : this("input", null, "invalid input") { }

    public CepGeoInputException(string message) : this("input", null, message) { }

    public CepGeoInputException(string message, Exception inner) : this("input", null, message, inner) { }

    /// <summary>The file or study field the problem is in.</summary>
    public string Input { get; }

    /// <summary>The feature id, when one feature is at fault.</summary>
    public string? Feature { get; }

    public string Problem { get; }

    private static string Format(string source, string? feature, string problem) =>
        feature is null ? $"{source}: {problem}" : $"{source}: feature {feature}: {problem}";
}
