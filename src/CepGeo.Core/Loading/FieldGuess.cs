using System.Globalization;
using System.Text.RegularExpressions;
using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>A field chosen for a study, and why, in words a person reads.</summary>
/// <param name="Field">The property, or null when none fits (for an id: use the file's own feature ids).</param>
public sealed record FieldChoice(string? Field, Phrase Why);

/// <summary>
/// Which property of a layer holds its ids, its names, its population (<c>cepgeo init</c>). The rules,
/// in order (docs/study.md says the same):
/// <list type="bullet">
/// <item>id: a property whose values are all present and unique; among those, code-like first — a name
/// such as <c>code</c>, <c>id</c>, <c>*_code</c>, <c>insee</c>, <c>num*</c> — then text or whole-number
/// values of one length (codes keep their leading zeros); counts and measures (<c>pop*</c>, <c>nb_*</c>,
/// <c>surface</c>, decimals) come last, as they are unique by chance. Without one, the file's feature ids.</item>
/// <item>name: a text property other than the id, named like a name (<c>name</c>, <c>nom</c>, <c>libelle</c>,
/// <c>label</c>, <c>intitule</c>…) first, then the one with the most distinct values holding letters.</item>
/// <item>population: a numeric property, never negative, named <c>population</c>, <c>pop*</c>, <c>pmun*</c>
/// or <c>ptot*</c>; the latest year in its name first.</item>
/// </list>
/// </summary>
public static partial class FieldGuess
{
    [GeneratedRegex(@"(^|[_\-\s])(code|cd|id|ident|identifiant|insee|num|numero|siren|siret|cog)($|[_\-\s0-9])|code$|^code|_id$|^id_|^num", RegexOptions.IgnoreCase)]
    private static partial Regex CodeName();

    [GeneratedRegex(@"(^|[_\-\s])(pop|population|nb|nombre|count|surface|superficie|area|aire|total|part|taux|km2|ha|x|y|lat|lon)($|[_\-\s0-9])|^pop|^nb|^pmun|^ptot", RegexOptions.IgnoreCase)]
    private static partial Regex CountName();

    [GeneratedRegex(@"(^|[_\-\s])(name|nom|libelle|lib|label|intitule|intitulé|denomination|dénomination|designation)($|[_\-\s0-9])|^nom|^lib|name$|^name", RegexOptions.IgnoreCase)]
    private static partial Regex NameName();

    [GeneratedRegex(@"^(population|pop|pmun|ptot)", RegexOptions.IgnoreCase)]
    private static partial Regex PopulationName();

    [GeneratedRegex(@"(19|20)[0-9]{2}")]
    private static partial Regex Year();

    /// <summary>The id property of a layer's features (their attributes as read).</summary>
    /// <param name="hasFileIds">The file gives its features ids of its own (GeoJSON <c>id</c>).</param>
    public static FieldChoice Id(IReadOnlyList<IReadOnlyDictionary<string, object?>> features, bool hasFileIds)
    {
        var candidates = new List<(string Field, int Score, Phrase Why)>();
        foreach (string field in Fields(features))
        {
            var values = features.Select(f => f.TryGetValue(field, out var v) ? v : null).ToList();
            if (values.Any(v => v is null || (v is string s && s.Trim().Length == 0))) continue;
            var ids = values.Select(AttributeValues.AsId).ToList();
            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count) continue;
            bool text = values.All(v => v is string), whole = values.All(v => v is double d && Math.Floor(d) == d);
            if (!text && !whole) continue;
            bool oneLength = ids.Select(i => i!.Length).Distinct().Count() == 1;
            bool codeName = CodeName().IsMatch(field), countName = CountName().IsMatch(field);
            bool wordy = text && values.Cast<string>().Count(s => s.Contains(' ', StringComparison.Ordinal)) * 2 > values.Count;
            int score = (codeName ? 8 : 0) + (text ? 2 : 1) + (oneLength ? 2 : 0) - (countName ? 10 : 0) - (wordy ? 6 : 0);
            string kind = text ? "texte" : "nombres entiers";
            string kindEn = text ? "text" : "whole numbers";
            var why = new Phrase(
                $"valeurs uniques et toutes renseignées ({kind}{(oneLength ? ", même longueur" : "")}){(codeName ? ", nom de code" : "")}{(countName ? " — mais nom de comptage" : "")}",
                $"unique and never empty ({kindEn}{(oneLength ? ", one length" : "")}){(codeName ? ", a code's name" : "")}{(countName ? " — but a count's name" : "")}");
            candidates.Add((field, score, why));
        }
        var best = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Field, StringComparer.Ordinal).FirstOrDefault();
        if (best.Field is not null && (best.Score > 0 || !hasFileIds))
            return new FieldChoice(best.Field, Others(best.Why, candidates.Count - 1));
        if (hasFileIds)
            return new FieldChoice(null, new Phrase("les identifiants propres des entités du fichier (aucune propriété ne convient mieux)",
                "the file's own feature ids (no property fits better)"));
        return new FieldChoice(null, new Phrase("aucune propriété unique et toujours renseignée", "no property is unique and never empty"));
    }

    /// <summary>The name property: text, not the id.</summary>
    public static FieldChoice Name(IReadOnlyList<IReadOnlyDictionary<string, object?>> features, string? idField)
    {
        var candidates = new List<(string Field, double Score, Phrase Why)>();
        foreach (string field in Fields(features))
        {
            if (field == idField) continue;
            var values = features.Select(f => f.TryGetValue(field, out var v) ? v as string : null).ToList();
            int present = values.Count(v => !string.IsNullOrWhiteSpace(v));
            if (present * 2 < features.Count) continue;
            int lettered = values.Count(v => v is not null && v.Any(char.IsLetter));
            if (lettered * 2 < features.Count) continue;
            int distinct = values.Where(v => v is not null).Distinct(StringComparer.Ordinal).Count();
            bool nameName = NameName().IsMatch(field);
            double score = (nameName ? 10 : 0) + 5.0 * distinct / Math.Max(1, features.Count) - (CodeName().IsMatch(field) ? 3 : 0);
            candidates.Add((field, score, new Phrase(
                $"texte{(nameName ? ", nom de libellé" : "")}, {distinct} valeurs distinctes sur {features.Count}",
                $"text{(nameName ? ", a name's name" : "")}, {distinct} distinct values of {features.Count}")));
        }
        var best = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Field, StringComparer.Ordinal).FirstOrDefault();
        return best.Field is null
            ? new FieldChoice(null, new Phrase("aucune propriété de texte : les identifiants serviront de noms", "no text property: ids will be the names"))
            : new FieldChoice(best.Field, Others(best.Why, candidates.Count - 1));
    }

    /// <summary>The population (count) property of the weights layer: numeric, never negative, named like a population.</summary>
    public static FieldChoice Population(IReadOnlyList<IReadOnlyDictionary<string, object?>> features)
    {
        var candidates = new List<(string Field, int Year, Phrase Why)>();
        foreach (string field in Fields(features))
        {
            if (!PopulationName().IsMatch(field)) continue;
            var values = features.Select(f => f.TryGetValue(field, out var v) ? v : null).ToList();
            if (!values.All(v => v is double d && d >= 0 && double.IsFinite(d))) continue;
            var year = Year().Matches(field).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            double total = values.Sum(v => (double)v!);
            string sum = total.ToString("#,0", CultureInfo.InvariantCulture);
            candidates.Add((field, year, new Phrase(
                $"nombres positifs, nom de population{(year > 0 ? $", année {year}" : "")} ; total {sum.Replace(",", "\u202F", StringComparison.Ordinal)}",
                $"non-negative numbers, a population's name{(year > 0 ? $", year {year}" : "")}; total {sum}")));
        }
        var best = candidates.OrderByDescending(c => c.Year).ThenBy(c => c.Field, StringComparer.Ordinal).FirstOrDefault();
        return best.Field is null
            ? new FieldChoice(null, new Phrase("aucune propriété numérique nommée population, pop*, pmun* ou ptot*",
                "no numeric property named population, pop*, pmun* or ptot*"))
            : new FieldChoice(best.Field, Others(best.Why, candidates.Count - 1));
    }

    private static Phrase Others(Phrase why, int others) => others <= 0 ? why : new Phrase(
        $"{why.Fr} ; {others} autre{(others > 1 ? "s" : "")} possible{(others > 1 ? "s" : "")} écartée{(others > 1 ? "s" : "")}",
        $"{why.En}; {others} other candidate{(others > 1 ? "s" : "")} set aside");

    private static IEnumerable<string> Fields(IReadOnlyList<IReadOnlyDictionary<string, object?>> features)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in features)
            foreach (var key in f.Keys)
                if (seen.Add(key)) yield return key;
    }
}
