using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>A layer as a reader found it, before <see cref="LayerAssembler"/> applies the rules of spec §2.</summary>
/// <param name="Features">Every feature in file order, whatever its geometry.</param>
/// <param name="Crs">The CRS the file declares or its format implies (RFC 7946 → WGS84); null when nothing says.</param>
/// <param name="CrsAdvice">How a user of this format declares a CRS, for error messages.</param>
/// <param name="Notes">Format-level notes (encoding decoded, CRS recognised from WKT…).</param>
internal sealed record RawLayer(
    IReadOnlyList<RawFeature> Features,
    CrsRef? Crs,
    Phrase CrsAdvice,
    IReadOnlyList<LoadIssue> Notes);
