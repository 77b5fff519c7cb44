using System.Text.Json;

namespace CepGeo.Core.Loading;

/// <summary>
/// Walks a JSON stream token by token with <see cref="Utf8JsonReader"/>, holding in memory only the
/// value being looked at (one feature, the crs member): a huge layer costs a buffer the size of its
/// largest feature, and a file that is not JSON fails on its first bytes. A document the caller has
/// already read whole is walked in place instead (<see cref="InMemory"/>).
/// </summary>
/// <remarks>
/// Syntax errors surface as <see cref="JsonException"/> with the line and byte of the whole file,
/// because the reader state (and its position) is carried from one buffer to the next.
/// </remarks>
internal sealed class JsonStreamScanner(Stream stream)
{
    private const int InitialBufferSize = 1 << 20;

    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private JsonReaderState _state;

    /// <summary>A scanner over a whole document already in memory: values stay valid (see <see cref="Stable"/>).</summary>
    public static JsonStreamScanner InMemory(byte[] document, int length) =>
        new(Stream.Null) { _buffer = document, _end = length, _eof = true, Stable = true };

    /// <summary>True once the stream has been read to its end.</summary>
    public bool ReachedEnd => _eof;

    /// <summary>Whether the values returned stay valid after the next call (the document is all in memory).</summary>
    public bool Stable { get; private init; }

    /// <summary>Reads one token; the text of a property name or string comes with it. None at the end of input.</summary>
    public JsonTokenType ReadToken(out string? text)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            if (reader.Read())
            {
                text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
                Advance(ref reader);
                return reader.TokenType;
            }
            if (_eof)
            {
                text = null;
                Advance(ref reader);
                return JsonTokenType.None;
            }
            Fill();
        }
    }

    /// <summary>
    /// Reads the next value whole: an array element or a member's value. At the end of the enclosing
    /// array or object returns that end token and an empty value. The bytes are valid until the next
    /// call, or for good when <see cref="Stable"/>.
    /// </summary>
    public JsonTokenType ReadValue(out ReadOnlyMemory<byte> value)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            if (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndArray or JsonTokenType.EndObject)
                {
                    value = default;
                    Advance(ref reader);
                    return token;
                }
                int tokenStart = checked((int)reader.TokenStartIndex);
                if (reader.TrySkip())
                {
                    value = _buffer.AsMemory(_start + tokenStart, checked((int)reader.BytesConsumed) - tokenStart);
                    Advance(ref reader);
                    return token;
                }
            }
            Fill();
        }
    }

    /// <summary>
    /// In memory, just after an object read by <see cref="ReadValue"/> in an array: the next
    /// object of the array, found by matching its braces (strings skipped) instead of tokenising
    /// it. Nothing is checked inside the object: its reader must treat a syntax error as one of
    /// the document's. False (nothing consumed) when the array does not go on with an object
    /// whose braces match: <see cref="ReadValue"/> then reads on, checking everything.
    /// </summary>
    /// <remarks>The reader state stays the one after the previous object, which is where the scanner
    /// stands again: only its line count, used in messages, falls behind.</remarks>
    public bool TrySkimObject(out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (!Stable) return false;
        var s = _buffer.AsSpan(0, _end);
        int p = SkipSpace(s, _start);
        if (p >= s.Length || s[p] != (byte)',') return false;
        p = SkipSpace(s, p + 1);
        if (p >= s.Length || s[p] != (byte)'{') return false;
        int begin = p, depth = 0;
        while (true)
        {
            int k = s[p..].IndexOfAny("{}\""u8);
            if (k < 0) return false;
            p += k;
            byte c = s[p++];
            if (c == (byte)'"')
            {
                while (true)
                {
                    if (p >= s.Length) return false;
                    int q = s[p..].IndexOfAny("\"\\"u8);
                    if (q < 0) return false;
                    p += q;
                    if (s[p] == (byte)'"') { p++; break; }
                    p += 2;
                }
            }
            else if (c == (byte)'{') depth++;
            else if (--depth == 0) break;
        }
        value = _buffer.AsMemory(begin, p - begin);
        _start = p;
        return true;
    }

    /// <summary>The first position at or after <paramref name="p"/> that is not JSON whitespace.</summary>
    internal static int SkipSpace(ReadOnlySpan<byte> s, int p)
    {
        while (p < s.Length && s[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') p++;
        return p;
    }

    private void Advance(ref Utf8JsonReader reader)
    {
        _start += checked((int)reader.BytesConsumed);
        _state = reader.CurrentState;
    }

    private void Fill()
    {
        if (_eof)
            throw new InvalidOperationException("A final block either completes a token or throws; asked to read past the end.");
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        else
            _end += read;
    }
}
