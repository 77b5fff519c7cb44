using System.Globalization;

namespace CepGeo.Core.Rendering;

/// <summary>The words on maps and in the report, in French (default) or English.</summary>
public sealed class MapText
{
    private MapText(bool french) => French = french;

    public bool French { get; }

    public static MapText Fr { get; } = new(true);

    public static MapText En { get; } = new(false);

    /// <summary><c>fr</c> or <c>en</c>; anything else is an error for the caller to report.</summary>
    public static MapText For(string lang) => lang switch
    {
        "fr" => Fr,
        "en" => En,
        _ => throw new ArgumentException($"unknown language \"{lang}\" (fr or en)", nameof(lang)),
    };

    public string Lang => French ? "fr" : "en";

    public string T(string fr, string en) => French ? fr : en;

    /// <summary>A number as the reader writes it: decimal comma in French.</summary>
    public string N(double v, string format = "0.##") =>
        v.ToString(format, French ? FrenchNumbers : CultureInfo.InvariantCulture);

    // The build is globalization-invariant (no fr-FR culture data): the decimal comma is set by hand.
    private static readonly NumberFormatInfo FrenchNumbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u202F",
        PercentDecimalSeparator = ",",
    };

    /// <summary>A count of people as said aloud: under 100 to the unit, under 10 000 to the hundred, else to the thousand (57 000).</summary>
    public string People(double v) => N(RoundPeople(v), "#,0");

    /// <summary>The rounding of <see cref="People"/>.</summary>
    public static double RoundPeople(double v)
    {
        double step = Math.Abs(v) < 100 ? 1 : Math.Abs(v) < 10_000 ? 100 : 1000;
        return Math.Round(v / step, MidpointRounding.AwayFromZero) * step;
    }

    public string Pct(double v, string format = "0.#") => N(v, format) + (French ? " %" : "%");

    public string OverviewTitle(string study) => study + T(" — vue d'ensemble", " — overview");

    public string MisfitTitle(string cells, string op) => T($"Désalignement : {cells} face à {op}", $"Misfit: {cells} against {op}");

    public string PairTitle(string a, string b) => T($"{a} face à {b}", $"{a} against {b}");

    /// <summary>A word of the glossary (<see cref="PlannerStyle.Words"/>) in this language.</summary>
    public string W(string key) => PlannerStyle.Word(key, Lang);

    public string MisfitLegend => W("misfit");

    public string MisfitExplain => T("part de la surface à réaffecter", "share of the area to reassign");

    public string Gap => W("gap");

    public string Double => W("double_coverage");

    public string Straddle => W("straddle");

    public string Cells => T("Limites des territoires", "Area boundaries");

    public string Zones(string op) => T($"Limites : {op}", $"Boundaries: {op}");

    public string Alignment(double a) => T($"Alignement : {N(a, "0.000")}", $"Alignment: {a.ToString("0.000", CultureInfo.InvariantCulture)}");

    public string Sources => T("Sources", "Sources");

    public string MadeWith(string version, string date) => T($"Réalisé avec CepGeo {version}, le {date}", $"Made with CepGeo {version} on {date}");

    public string Projection(string crs) => T($"Projection : {crs}", $"Projection: {crs}");

    public string CellCount(int n) => French ? $"{n} territoire{(n > 1 ? "s" : "")}" : $"{n} area{(n == 1 ? "" : "s")}";

    public string ZoneCount(int n) => French ? $"{n} zone{(n > 1 ? "s" : "")}" : $"{n} zone{(n == 1 ? "" : "s")}";
}
