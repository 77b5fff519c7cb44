using System.Globalization;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The one rule for text put in a table a planner opens in a spreadsheet (CSV, xlsx): a value that
/// Excel, LibreOffice or Google Sheets would take for a formula — it starts with <c>=</c>, <c>+</c>,
/// <c>-</c>, <c>@</c>, a tab or a carriage return — is written with a leading apostrophe, as OWASP
/// recommends against formula injection (<c>=HYPERLINK(…)</c>, <c>+cmd|' /C calc'!A0</c>). A number
/// with its sign (<c>-12.5</c>, <c>+3</c>) is left as it is; an apostrophe already before a formula
/// is doubled. <see cref="Restore"/> undoes it for
/// CepGeo's own readers of those tables.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>The value as it may safely go into a spreadsheet cell.</summary>
    public static string Neutralise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Needs(value) ? "'" + value : value;
    }

    /// <summary>The value <see cref="Neutralise"/> was given: the apostrophe it added is taken off.</summary>
    public static string Restore(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 1 && value[0] == '\'' && Needs(value[1..]) ? value[1..] : value;
    }

    /// <summary>
    /// A formula, or an apostrophe before one: that apostrophe is doubled too, so that
    /// <see cref="Restore"/> gives back a value that really started with one ("'=x" → "''=x" → "'=x").
    /// </summary>
    private static bool Needs(string value) =>
        Dangerous(value) || (value.Length > 1 && value[0] == '\'' && Needs(value[1..]));

    private static bool Dangerous(string value)
    {
        if (value.Length == 0) return false;
        return value[0] switch
        {
            '=' or '@' or '\t' or '\r' => true,
            '+' or '-' => !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
    }
}
