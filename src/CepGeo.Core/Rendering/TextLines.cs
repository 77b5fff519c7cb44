using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>Text cut or wrapped to a width, as the maps and the atlas pages letter it.</summary>
public static class TextLines
{
    /// <summary>The text, cut with an ellipsis where it is wider than <paramref name="width"/>.</summary>
    /// <param name="measure">How wide the font draws a text; null for <c>SKFont.MeasureText</c>
    /// (the PDF canvas lays text out otherwise: <see cref="PdfText"/>).</param>
    public static string Fit(string text, SKFont font, float width, Func<SKFont, string, float>? measure = null)
    {
        measure ??= MeasureText;
        if (measure(font, text) <= width) return text;
        while (text.Length > 1 && measure(font, text + "…") > width) text = text[..^1];
        return text.TrimEnd() + "…";
    }

    /// <summary>The text in lines no wider than <paramref name="width"/> (a single long word stays whole).</summary>
    /// <param name="measure">As <see cref="Fit"/>'s.</param>
    public static List<string> Wrap(string text, SKFont font, float width, Func<SKFont, string, float>? measure = null)
    {
        measure ??= MeasureText;
        var lines = new List<string>();
        string current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string tryLine = current.Length == 0 ? word : current + " " + word;
            if (measure(font, tryLine) <= width || current.Length == 0) current = tryLine;
            else
            {
                lines.Add(current);
                current = word;
            }
        }
        if (current.Length > 0) lines.Add(current);
        return lines;
    }

    private static float MeasureText(SKFont font, string text) => font.MeasureText(text);
}
