namespace CepGeo.Core.Model;

/// <summary>
/// A problem with what the user gave us (a file, a feature, a study field): printed as one line
/// without a stack trace, exit code 2. Never used for our own bugs. Open to kinds a reader must tell
/// apart (the GeoJSON reader's malformed JSON).
/// </summary>
public class CepGeoInputException : Exception
{
    public CepGeoInputException(string source, string? feature, string problem, Exception? inner = null)
        : base(Format(source, feature, problem), inner)
    {
        Input = source;
        Feature = feature;
        Problem = problem;
    }

    /// <summary>A problem said in French and English: <see cref="Exception.Message"/> stays English, <see cref="Describe"/> picks.</summary>
    public CepGeoInputException(string source, string? feature, Phrase problem, Exception? inner = null)
        : this(source, feature, problem.En, inner)
    {
        French = problem.Fr;
    }

    public CepGeoInputException() : this("input", null, "invalid input") { }

    public CepGeoInputException(string message) : this("input", null, message) { }

    public CepGeoInputException(string message, Exception inner) : this("input", null, message, inner) { }

    /// <summary>The file or study field the problem is in.</summary>
    public string Input { get; }

    /// <summary>The feature id, when one feature is at fault.</summary>
    public string? Feature { get; }

    public string Problem { get; }

    /// <summary>The problem in French, when the thrower wrote one (a <see cref="Phrase"/>).</summary>
    public string? French { get; }

    /// <summary>The problem in both languages (English twice when the thrower wrote no French).</summary>
    public Phrase Words => new(French ?? Problem, Problem);

    /// <summary>The one line a person reads, in French or English. A problem written only in English stays English.</summary>
    public string Describe(bool french)
    {
        if (!french) return Message;
        string problem = French ?? Problem;
        return Feature is null ? $"{Input} : {problem}" : $"{Input} : entité {Feature} : {problem}";
    }

    private static string Format(string source, string? feature, string problem) =>
        feature is null ? $"{source}: {problem}" : $"{source}: feature {feature}: {problem}";
}
