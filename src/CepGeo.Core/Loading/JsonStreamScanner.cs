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
