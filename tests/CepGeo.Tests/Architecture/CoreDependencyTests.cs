using System.Text;
using System.Text.RegularExpressions;

namespace CepGeo.Tests.Architecture;

/// <summary>
/// The folders of src/CepGeo.Core follow the data flow and depend only downstream (issue 20):
/// a file may use a folder that comes before its own in <see cref="CoreFolders.Order"/>, never one after.
/// Read from the source (namespace per folder, <c>using</c> lines, fully or partly qualified names),
/// not from the compiled assembly, so the message can name the file that breaks a rule.
/// </summary>
public class CoreDependencyTests
{
    private static readonly Lazy<IReadOnlyList<CoreFolders.SourceFile>> Files = new(() => CoreFolders.Scan(
        Path.Combine(TestPaths.RepoRoot, "src", "CepGeo.Core")));

    [Fact]
    public void Every_file_declares_the_namespace_of_its_folder()
    {
        Assert.NotEmpty(Files.Value);
        var wrong = Files.Value.Where(f => f.Namespace != f.ExpectedNamespace)
            .Select(f => $"{f.Path}: namespace {f.Namespace ?? "(none)"}, expected {f.ExpectedNamespace}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_folder_is_in_the_order()
    {
        var unknown = Files.Value.Select(f => f.Folder).Distinct().Where(f => !CoreFolders.Order.Contains(f)).ToList();
        Assert.True(unknown.Count == 0, $"Core folders missing from CoreFolders.Order (place them in the data flow): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void No_folder_but_Pipeline_uses_Pipeline() =>
        AssertNone(f => f.Folder != "Pipeline", "Pipeline");

    [Fact]
    public void Model_uses_no_other_folder() =>
        AssertNone(f => f.Folder == "Model", CoreFolders.Order.Where(o => o != "Model").ToArray());

    [Fact]
    public void Overlay_and_Metrics_use_neither_Reporting_nor_Rendering_nor_Design() =>
        AssertNone(f => f.Folder is "Overlay" or "Metrics", "Reporting", "Rendering", "Design");

    [Fact]
    public void Design_uses_neither_Reporting_nor_Rendering() =>
        AssertNone(f => f.Folder == "Design", "Reporting", "Rendering");

    [Fact]
    public void Rendering_does_not_use_Reporting() =>
        AssertNone(f => f.Folder == "Rendering", "Reporting");

    [Fact]
    public void Every_use_goes_upstream()
    {
        var wrong = Files.Value.SelectMany(f => f.Uses
                .Where(u => u.Folder != f.Folder && CoreFolders.Rank(u.Folder) > CoreFolders.Rank(f.Folder))
                .Select(u => $"{f.Path}:{u.Line}: {f.Folder} uses {u.Folder} ({u.Text}), which comes after it in the data flow"))
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void No_cycle_between_folders()
    {
        var cycle = CoreFolders.FindCycle(CoreFolders.Graph(Files.Value));
        Assert.True(cycle is null, cycle is null ? "" : "Cycle between Core folders: " + string.Join(" → ", cycle));
    }

    private static void AssertNone(Func<CoreFolders.SourceFile, bool> which, params string[] forbidden)
    {
        var wrong = Files.Value.Where(which)
            .SelectMany(f => f.Uses.Where(u => u.Folder != f.Folder && forbidden.Contains(u.Folder))
                .Select(u => $"{f.Path}:{u.Line}: {f.Folder} uses {u.Folder} ({u.Text})"))
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    // ---- the scanner itself: what it must see and what it must not --------------------------------

    [Fact]
    public void Scanner_sees_usings_full_and_partial_qualification()
    {
        var f = CoreFolders.Parse("Rendering/X.cs", """
            using CepGeo.Core.Metrics;
            using static CepGeo.Core.Model.Tolerances;
            using Alias = CepGeo.Core.Overlay.Mosaic;

            namespace CepGeo.Core.Rendering;

            class X
            {
                Pipeline.AnalysisRunner a;
                global::CepGeo.Core.Reporting.HtmlReport b;
                Loading.Zones.ZoneBuilder c;
            }
            """, new Dictionary<string, ISet<string>>
            {
                ["Pipeline"] = new HashSet<string> { "AnalysisRunner" },
                ["Loading"] = new HashSet<string> { "Zones" },
            });
        Assert.Equal("CepGeo.Core.Rendering", f.Namespace);
        Assert.Equal(["Loading", "Metrics", "Model", "Overlay", "Pipeline", "Reporting"], f.Uses.Select(u => u.Folder).Distinct().Order());
        Assert.Equal(9, f.Uses.Single(u => u.Folder == "Pipeline").Line);
    }

    [Fact]
    public void Scanner_ignores_comments_strings_members_and_unknown_types()
    {
        var f = CoreFolders.Parse("Model/X.cs", """"
            namespace CepGeo.Core.Model;

            /// <summary>Written for CepGeo.Core.Pipeline, see Pipeline.Analysis.</summary>
            class X
            {
                // using CepGeo.Core.Reporting;
                /* CepGeo.Core.Rendering */
                string s = "CepGeo.Core.Overlay";
                string v = @"CepGeo.Core.Design ""quoted""";
                string r = """CepGeo.Core.Metrics""";
                char c = '"';
                string t = $"{Pipeline.Other} CepGeo.Core.Loading";
                int n = x.Pipeline.Analysis;
            }
            """", new Dictionary<string, ISet<string>> { ["Pipeline"] = new HashSet<string> { "Analysis" } });
        Assert.Empty(f.Uses);
    }

    [Fact]
    public void Cycle_finder_names_the_cycle()
    {
        var g = new Dictionary<string, ISet<string>>
        {
            ["Model"] = new HashSet<string>(),
            ["Rendering"] = new HashSet<string> { "Reporting", "Model" },
            ["Reporting"] = new HashSet<string> { "Rendering" },
        };
        var cycle = CoreFolders.FindCycle(g);
        Assert.NotNull(cycle);
        Assert.Equal(cycle[0], cycle[^1]);
        Assert.Equal(["Rendering", "Reporting"], cycle.Distinct().Order());
        g["Reporting"].Clear();
        Assert.Null(CoreFolders.FindCycle(g));
    }
}

/// <summary>Reads src/CepGeo.Core as text: each file's folder, namespace and the Core folders it uses.</summary>
internal static class CoreFolders
{
    /// <summary>The data flow: a folder may use the ones before it. Common is shared plumbing
    /// (flat arrays, thread hand-off, segment predicates) that Validation, Overlay and Metrics use.</summary>
    public static readonly string[] Order =
    [
        "Model", "Common", "Loading", "Validation", "Projection", "Overlay", "Metrics", "Design", "Rendering", "Reporting",
        "Demo", "Pipeline",
    ];

    public static int Rank(string folder) => Array.IndexOf(Order, folder) is var i and >= 0 ? i : int.MaxValue;

    public sealed record Use(string Folder, int Line, string Text);

    public sealed record SourceFile(string Path, string Folder, string ExpectedNamespace, string? Namespace, IReadOnlyList<Use> Uses);

    private static readonly Regex TypeDeclaration = new(
        @"\b(?:class|struct|record|interface|enum)\s+(?:(?:struct|class)\s+)?(?<name>[A-Z]\w*)", RegexOptions.Compiled);

    private static readonly Regex Namespace = new(@"^\s*namespace\s+(?<ns>[\w.]+)\s*[;{]", RegexOptions.Multiline | RegexOptions.Compiled);

    private static readonly Regex FullName = new(@"\bCepGeo\.Core\.(?<folder>[A-Z]\w*)", RegexOptions.Compiled);

    private static readonly Regex PartialName = new(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)", RegexOptions.Compiled);

    public static IReadOnlyList<SourceFile> Scan(string root)
    {
        var paths = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => p.Contains('/') && !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        var code = paths.ToDictionary(p => p, p => StripCommentsAndStrings(File.ReadAllText(System.IO.Path.Combine(root, p))));
        // The types each folder declares (for Folder.Type written without CepGeo.Core).
        var types = new Dictionary<string, ISet<string>>();
        foreach (var (p, text) in code)
        {
            var folder = p[..p.IndexOf('/')];
            if (!types.TryGetValue(folder, out var set)) types[folder] = set = new HashSet<string>();
            foreach (Match m in TypeDeclaration.Matches(text)) set.Add(m.Groups["name"].Value);
            // A sub-folder is a namespace inside: Loading.Zones.ZoneBuilder uses Loading.
            if (p.Split('/') is { Length: > 2 } parts) set.Add(parts[1]);
        }
        return [.. paths.Select(p => ParseStripped(p, code[p], types))];
    }

    /// <summary>One file, given as text (for the scanner's own tests).</summary>
    public static SourceFile Parse(string path, string text, IReadOnlyDictionary<string, ISet<string>> types) =>
        ParseStripped(path, StripCommentsAndStrings(text), types);

    private static SourceFile ParseStripped(string path, string code, IReadOnlyDictionary<string, ISet<string>> types)
    {
        var folder = path[..path.IndexOf('/')];
        var expected = "CepGeo.Core." + System.IO.Path.GetDirectoryName(path)!.Replace('\\', '/').Replace('/', '.');
        var declaration = Namespace.Match(code);
        var ns = declaration.Success ? declaration.Groups["ns"].Value : null;
        // The file's own namespace line is no use of its folder (nor, for Loading.Zones, of Loading).
        if (declaration.Success) code = code.Remove(declaration.Index, declaration.Length)
            .Insert(declaration.Index, Regex.Replace(declaration.Value, @"[^\n]", " "));
        var uses = new List<Use>();
        foreach (Match m in FullName.Matches(code))
            uses.Add(new Use(m.Groups["folder"].Value, LineOf(code, m.Index), m.Value));
        foreach (Match m in PartialName.Matches(code))
        {
            var f = m.Groups["folder"].Value;
            if (types.TryGetValue(f, out var declared) && declared.Contains(m.Groups["type"].Value)
                && !(m.Index >= 12 && code.AsSpan(0, m.Index).EndsWith("CepGeo.Core.")))
                uses.Add(new Use(f, LineOf(code, m.Index), m.Value));
        }
        return new SourceFile(path, folder, expected, ns, uses);
    }

    public static Dictionary<string, ISet<string>> Graph(IEnumerable<SourceFile> files)
    {
        var g = new Dictionary<string, ISet<string>>();
        foreach (var f in files)
        {
            if (!g.TryGetValue(f.Folder, out var to)) g[f.Folder] = to = new HashSet<string>();
            foreach (var u in f.Uses.Where(u => u.Folder != f.Folder)) to.Add(u.Folder);
        }
        return g;
    }

    /// <summary>A cycle as a path that ends where it starts, or null (depth-first search, folders in name order).</summary>
    public static List<string>? FindCycle(IReadOnlyDictionary<string, ISet<string>> graph)
    {
        var state = new Dictionary<string, int>(); // 1 on the path, 2 done
        var path = new List<string>();
        List<string>? Visit(string v)
        {
            state[v] = 1;
            path.Add(v);
            foreach (var w in (graph.TryGetValue(v, out var to) ? to : new HashSet<string>()).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(w) == 1) return [.. path.Skip(path.IndexOf(w)), w];
                if (state.GetValueOrDefault(w) == 0 && Visit(w) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[v] = 2;
            return null;
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(v) == 0 && Visit(v) is { } cycle) return cycle;
        return null;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>
    /// The code with comments, string and char literals blanked (newlines kept, so line numbers hold).
    /// Interpolation holes are blanked with their string: a dependency written only inside one is not seen.
    /// </summary>
    private static string StripCommentsAndStrings(string s)
    {
        var b = new StringBuilder(s.Length);
        int i = 0;
        void Blank(int end)
        {
            for (; i < end && i < s.Length; i++) b.Append(s[i] == '\n' ? '\n' : ' ');
        }
        while (i < s.Length)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/') Blank(s.IndexOf('\n', i) is var e and >= 0 ? e : s.Length);
            else if (c == '/' && next == '*') Blank(s.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e and >= 0 ? e + 2 : s.Length);
            else if (c == '\'') Blank(CharEnd(s, i));
            else if (c is '"' or '@' or '$' && StringEnd(s, i) is var end and > 0) Blank(end);
            else { b.Append(c); i++; }
        }
        return b.ToString();
    }

    private static int CharEnd(string s, int i)
    {
        int j = i + 1;
        while (j < s.Length && s[j] != '\'' && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
        return Math.Min(j + 1, s.Length);
    }

    /// <summary>Where the string literal starting at <paramref name="i"/> ends (past its last quote), or 0 when none starts there.</summary>
    private static int StringEnd(string s, int i)
    {
        int j = i;
        bool verbatim = false;
        while (j < s.Length && s[j] is '@' or '$') { verbatim |= s[j] == '@'; j++; }
        if (j >= s.Length || s[j] != '"') return 0;
        int quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"') quotes++;
        if (quotes >= 3)
        {
            var close = new string('"', quotes);
            int e = s.IndexOf(close, j + quotes, StringComparison.Ordinal);
            return e < 0 ? s.Length : e + quotes;
        }
        if (quotes == 2) return j + 2; // ""
        j++;
        while (j < s.Length)
        {
            if (verbatim && s[j] == '"' && j + 1 < s.Length && s[j + 1] == '"') { j += 2; continue; }
            if (s[j] == '"') return j + 1;
            if (!verbatim && s[j] == '\\') { j += 2; continue; }
            if (!verbatim && s[j] == '\n') return j;
            j++;
        }
        return s.Length;
    }
}
