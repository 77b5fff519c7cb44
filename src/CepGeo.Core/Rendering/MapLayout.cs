using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// Where things go on a map sheet. The sheet has the proportions of A4 landscape (√2:1) and is laid out
/// in units of 1/1600 of its width, so the 1600 px screen map and the 3508 px A4 300 dpi print are the
/// same drawing at two scales.
/// </summary>
public sealed class MapLayout
{
    /// <summary>Screen width in pixels.</summary>
    public const int ScreenWidth = 1600;

    /// <summary>A4 landscape at 300 dpi: 297 mm × 210 mm.</summary>
    public const int PrintWidth = 3508;

    public const int PrintHeight = 2480;

    private readonly double _originX, _originY, _scale;

    public MapLayout(Envelope extent, int width, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(extent);
        Width = width;
        Height = height ?? (int)Math.Round(width / Math.Sqrt(2));
        U = width / 1600f;
        Title = Rect(24, 12, 1576, 92);
        Map = Rect(24, 100, 1176, 1058);
        Legend = Rect(1196, 100, 1576, 1058);
        Footer = new SKRect(24 * U, 1066 * U, 1576 * U, Height - 4 * U);

        // Fit the extent (plus a 3 % margin) in the map frame, keeping its proportions, centred.
        double w = Math.Max(extent.Width, 1) * 1.06, h = Math.Max(extent.Height, 1) * 1.06;
        _scale = Math.Min(Map.Width / w, Map.Height / h);
        _originX = extent.Centre.X - (Map.MidX) / _scale;
        _originY = extent.Centre.Y + (Map.MidY) / _scale;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>One layout unit in pixels (1 on the screen map).</summary>
    public float U { get; }

    public SKRect Title { get; }

    public SKRect Map { get; }

    public SKRect Legend { get; }

    public SKRect Footer { get; }

    /// <summary>Pixels per metre of the map's CRS.</summary>
    public double PixelsPerMetre => _scale;

    /// <summary>What places a point in this layout's pixels (two layouts equal here draw a geometry alike): the key of
    /// <see cref="MapScene.LayerPaths"/>.</summary>
    internal (double OriginX, double OriginY, double Scale, int Width, int Height) Placement => (_originX, _originY, _scale, Width, Height);

    public SKPoint ToPixel(double x, double y) => new((float)((x - _originX) * _scale), (float)((_originY - y) * _scale));

    public (double X, double Y) ToWorld(float px, float py) => (_originX + px / _scale, _originY - py / _scale);

    private SKRect Rect(float l, float t, float r, float b) => new(l * U, t * U, r * U, b * U);
}
