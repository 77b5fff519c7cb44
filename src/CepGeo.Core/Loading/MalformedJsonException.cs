using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>
/// A file that is not valid JSON (its syntax, found by the scanner), as opposed to valid JSON whose
/// content is wrong. The GeoJSON reader reads such a file again as a stream, which places the error
/// and tells it apart from a file that stops short; callers see a <see cref="CepGeoInputException"/>.
/// </summary>
public sealed class MalformedJsonException : CepGeoInputException
{
    public MalformedJsonException(string source, string? feature, string problem, Exception? inner = null)
        : base(source, feature, problem, inner)
    {
    }

    /// <summary>Said in French and English (the runtime's own reason stays in the English one).</summary>
    public MalformedJsonException(string source, string? feature, Phrase problem, Exception? inner = null)
        : base(source, feature, problem, inner)
    {
    }

    public MalformedJsonException() { }

    public MalformedJsonException(string message) : base(message) { }

    public MalformedJsonException(string message, Exception inner) : base(message, inner) { }
}
