namespace CepGeo.Core.Model;

/// <summary>
/// A sentence a person reads, in French (the default) and English. Core builds phrases, it never
/// picks the language: the command line does (<c>--lang</c>, <c>CEPGEO_LANG</c>). Write the French
/// with the glossary's words (../shared/docs/glossary.md).
/// </summary>
public readonly record struct Phrase(string Fr, string En)
{
    public string In(bool french) => french ? Fr : En;

    /// <summary>The English form, as exception messages and logs have always been written.</summary>
    public override string ToString() => En;
}
