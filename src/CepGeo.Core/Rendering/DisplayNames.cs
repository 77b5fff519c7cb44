using System.Text;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The names a planner reads for cells and zones: the study's short label when it gives one
/// (<c>"shortNames": { "ml": { "13012": "Aix" } }</c>), else the layer's name cleaned of repeated
/// spaces and of a trailing "(code)" that only repeats the id. Files keep the raw names.
/// </summary>
public sealed class DisplayNames
{
    private readonly Dictionary<string, Dictionary<string, string>> _byLayer = [];

    public DisplayNames(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var shortNames = result.Study.ShortNames;
        foreach (var info in result.Infos)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string>? own = null;
            shortNames?.TryGetValue(info.Key, out own);
            for (int i = 0; i < info.Ids.Count; i++)
                names[info.Ids[i]] = own is not null && own.TryGetValue(info.Ids[i], out var label) ? Clean(label) : Clean(info.Names[i], info.Ids[i]);
            _byLayer[info.Key] = names;
        }
    }

    /// <summary>The display name of feature <paramref name="id"/> of layer <paramref name="key"/> (the id if unknown).</summary>
    public string Of(string key, string? id)
    {
        if (id is null) return "—";
        return _byLayer.TryGetValue(key, out var names) && names.TryGetValue(id, out var name) ? name : id;
    }

    /// <summary>Whitespace runs collapsed to one space, ends trimmed, and a trailing " (id)" dropped.</summary>
    public static string Clean(string name, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        bool space = false;
        foreach (char ch in name)
        {
            if (char.IsWhiteSpace(ch)) { space = sb.Length > 0; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(ch);
        }
        string s = sb.ToString();
        if (!string.IsNullOrEmpty(id))
        {
            string tail = $" ({id})";
            if (s.Length > tail.Length && s.EndsWith(tail, StringComparison.Ordinal)) s = s[..^tail.Length];
        }
        return s.Length == 0 ? id ?? "" : s;
    }
}
