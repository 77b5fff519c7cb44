namespace CepGeo.Core.Demo;

/// <summary>Invented French-sounding place names, from syllables. Fictional on purpose: none should be a real commune.</summary>
internal static class VillageNames
{
    private static readonly string[] Heads =
    [
        "Bel", "Mont", "Val", "Roche", "Font", "Mar", "Ver", "Cham", "Sau", "Ar", "Bré", "Lan", "Cor",
        "Vil", "Mer", "Bar", "Cul", "Tré", "Pra", "Sal", "Rou", "Char", "Lau", "Bou", "Fla", "Gré",
        "Ro", "Mi", "Pé", "Seu", "Vau", "Jar", "Cour", "Marn", "Es", "Sor", "Tal", "Gau", "Brin", "Lor",
    ];

    private static readonly string[] Middles = ["", "", "", "an", "e", "i", "o", "ou", "er", "al", "in", "ar"];

    private static readonly string[] Tails =
    [
        "ac", "ieux", "ville", "court", "gnac", "lieu", "mont", "sac", "zieu", "ay", "ey", "as", "ot",
        "ine", "elle", "ard", "ange", "oux", "ès", "ol", "at", "ière", "ieu", "argues", "ens", "eyre",
    ];

    private static readonly string[] Saints =
    [
        "Saint-Jurieu", "Saint-Aubrin", "Saint-Orlène", "Sainte-Vérane", "Saint-Géraud", "Saint-Mélan",
        "Sainte-Colombe", "Saint-Prieuré", "Saint-Haon", "Saint-Bardoux",
    ];

    private static readonly string[] Rivers = ["Vaurenne", "Loubière", "Sorlin", "Brévenne-Haute", "Arzelle", "Morgon"];

    private static readonly string[] Qualifiers = ["-le-Haut", "-le-Bas", "-les-Bois", "-en-Vaudière", "-la-Forêt", "-le-Vieux"];

    private static readonly string[] Articles = ["Le ", "La ", "Les "];

    /// <summary>Draws names until one is new; the set of names given out so far is <paramref name="taken"/>.</summary>
    public static string Next(SplitMix64 random, ISet<string> taken)
    {
        while (true)
        {
            string name = Draw(random);
            if (taken.Add(name)) return name;
        }
    }

    private static string Draw(SplitMix64 random)
    {
        double kind = random.NextDouble();
        if (kind < 0.08) return Pick(random, Saints) + Pick(random, ["", "", "-sur-" + Pick(random, Rivers), Pick(random, Qualifiers)]);
        string root = Root(random);
        if (kind < 0.18) return root + "-sur-" + Pick(random, Rivers);
        if (kind < 0.26) return root + Pick(random, Qualifiers);
        if (kind < 0.32) return Pick(random, Articles) + root;
        return root;
    }

    private static string Root(SplitMix64 random)
    {
        string head = Pick(random, Heads), middle = Pick(random, Middles), tail = Pick(random, Tails);
        // Avoid a double vowel at the joints ("Roche" + "e"), which reads as a typo.
        if (middle.Length > 0 && IsVowel(head[^1]) && IsVowel(middle[0])) middle = "";
        string stem = head + middle;
        if (IsVowel(stem[^1]) && IsVowel(tail[0])) stem = stem[..^1];
        return stem.Length == 0 ? tail : stem + tail;
    }

    private static bool IsVowel(char c) => "aeiouyéèAEIOUY".Contains(c, StringComparison.Ordinal);

    private static string Pick(SplitMix64 random, string[] items) => items[random.Index(items.Length)];
}
