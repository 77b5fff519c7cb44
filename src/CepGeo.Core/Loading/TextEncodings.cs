using System.Text;

namespace CepGeo.Core.Loading;

/// <summary>
/// The encoding of a text file planners hand over (a commune list saved by Excel, a study file edited
/// on Windows, a .dbf without .cpg): a byte-order mark says UTF-8 or UTF-16; without one, text that is
/// valid UTF-8 is UTF-8, and anything else is Windows-1252 (Latin-1 with the Windows extras: é, è, à,
/// ç, œ, €) rather than a silent U+FFFD in place of every accent.
/// </summary>
public static class TextEncodings
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Windows-1252, from the code pages .NET ships (registered on first use).</summary>
    public static Encoding Windows1252 { get; } = LoadWindows1252();

    /// <summary>The encoding of <paramref name="bytes"/>, its name for notes, and the length of its byte-order mark.</summary>
    public static (Encoding Encoding, string Name, int Preamble) Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) return (StrictUtf8, "UTF-8", 3);
        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE })) return (new UnicodeEncoding(false, false, true), "UTF-16 LE", 2);
        if (bytes.StartsWith(new byte[] { 0xFE, 0xFF })) return (new UnicodeEncoding(true, false, true), "UTF-16 BE", 2);
        // UTF-16 without a mark: ASCII text has a zero in every other byte.
        if (bytes.Length >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0)
            return (new UnicodeEncoding(false, false, true), "UTF-16 LE", 0);
        if (bytes.Length >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0)
            return (new UnicodeEncoding(true, false, true), "UTF-16 BE", 0);
        return IsUtf8(bytes) ? (StrictUtf8, "UTF-8", 0) : (Windows1252, "Windows-1252", 0);
    }

    /// <summary>The text of <paramref name="bytes"/> in its detected encoding, and that encoding's name.</summary>
    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        var (encoding, name, preamble) = Detect(bytes);
        try
        {
            return (encoding.GetString(bytes[preamble..]), name);
        }
        catch (DecoderFallbackException)
        {
            // A mark saying UTF-8 or UTF-16 over bytes that are not: read them as Windows-1252.
            return (Windows1252.GetString(bytes), "Windows-1252");
        }
    }

    /// <summary>True when the bytes are valid UTF-8 (then no other encoding is likely: Latin-1 accents are never valid UTF-8 pairs).</summary>
    public static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static Encoding LoadWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
    }
}
