namespace CepGeo.Core.Loading.Zones;

/// <summary>
/// The arrondissements municipaux of Paris, Lyon and Marseille: INSEE gives each its own code, and
/// operator lists use them, while most commune maps only have the commune.
/// </summary>
public static class Arrondissements
{
    private static readonly (string Commune, string Name, int First, int Last)[] Cities =
    [
        ("75056", "Paris", 75101, 75120),
        ("69123", "Lyon", 69381, 69389),
        ("13055", "Marseille", 13201, 13216),
    ];

    /// <summary>The commune of an arrondissement, or null when the code is not one.</summary>
    public static string? CommuneOf(string code)
    {
        if (code.Length != 5 || !int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            return null;
        foreach (var city in Cities)
            if (n >= city.First && n <= city.Last) return city.Commune;
        return null;
    }

    /// <summary>The arrondissements of Paris, Lyon or Marseille; empty for any other code.</summary>
    public static IEnumerable<string> Of(string commune)
    {
        foreach (var city in Cities)
            if (city.Commune == commune)
                return Enumerable.Range(city.First, city.Last - city.First + 1).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return [];
    }

    /// <summary>What a code may stand for on a map without it: an arrondissement's commune, or a city's arrondissements.</summary>
    public static IEnumerable<string> Counterparts(string code) =>
        CommuneOf(code) is string commune ? [commune] : Of(code);

    public static string Describe(string code, bool french = false)
    {
        if (CommuneOf(code) is string commune)
            return french ? $"arrondissement de {Cities.First(c => c.Commune == commune).Name} ({commune})"
                : $"arrondissement of {Cities.First(c => c.Commune == commune).Name} ({commune})";
        var city = Cities.FirstOrDefault(c => c.Commune == code);
        if (city.Name is null) return code;
        return french ? $"{city.Name}, donnée par ses arrondissements {city.First}–{city.Last}"
            : $"{city.Name}, given by its arrondissements {city.First}–{city.Last}";
    }
}
