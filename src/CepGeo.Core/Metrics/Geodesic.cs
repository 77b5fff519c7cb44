namespace CepGeo.Core.Metrics;

/// <summary>
/// Geodesic distance on the WGS84 ellipsoid (spec §9): Vincenty's inverse formula (1975), with a
/// bisection in place of its fixed-point iteration where that does not converge (nearly antipodal
/// points). Why Vincenty and how exact it is: docs/decisions.md, "Sites".
/// </summary>
public static class Geodesic
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double B = A * (1 - F);
    private const double Deg = Math.PI / 180;
    private const int MaxIterations = 200;

    /// <summary>The distance in metres between two points given in degrees (longitude, latitude).</summary>
    public static double DistanceM(double lon1, double lat1, double lon2, double lat2)
    {
        double l = Normalise((lon2 - lon1) * Deg);
        if (l < 0) l = -l; // the distance is symmetric in the longitude difference
        double u1 = Math.Atan((1 - F) * Math.Tan(lat1 * Deg));
        double u2 = Math.Atan((1 - F) * Math.Tan(lat2 * Deg));
        double sinU1 = Math.Sin(u1), cosU1 = Math.Cos(u1), sinU2 = Math.Sin(u2), cosU2 = Math.Cos(u2);

        double lambda = l;
        var state = default(State);
        bool converged = false;
        for (int i = 0; i < MaxIterations; i++)
        {
            state = Evaluate(lambda, l, sinU1, cosU1, sinU2, cosU2);
            if (state.SinSigma == 0) return 0; // the same point
            if (Math.Abs(state.Next - lambda) < 1e-13)
            {
                converged = true;
                break;
            }
            lambda = state.Next;
        }
        if (!converged) state = Bisect(l, sinU1, cosU1, sinU2, cosU2);
        return Length(state);
    }

    /// <summary>The distance in kilometres (the unit of every distance CepGeo writes).</summary>
    public static double DistanceKm(double lon1, double lat1, double lon2, double lat2) =>
        DistanceM(lon1, lat1, lon2, lat2) / 1000;

    /// <summary>One step of Vincenty's iteration at the auxiliary longitude <paramref name="lambda"/>.</summary>
    private readonly record struct State(double SinSigma, double CosSigma, double Sigma, double Cos2Alpha, double Cos2SigmaM, double Next);

    private static State Evaluate(double lambda, double l, double sinU1, double cosU1, double sinU2, double cosU2)
    {
        double sinLambda = Math.Sin(lambda), cosLambda = Math.Cos(lambda);
        double t1 = cosU2 * sinLambda, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda;
        double sinSigma = Math.Sqrt(t1 * t1 + t2 * t2);
        double cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
        double sigma = Math.Atan2(sinSigma, cosSigma);
        if (sinSigma == 0) return new State(0, cosSigma, sigma, 1, 0, lambda);
        double sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
        double cos2Alpha = 1 - sinAlpha * sinAlpha;
        // On the equator cos²α = 0 and the term is 0 (Vincenty's note).
        double cos2SigmaM = cos2Alpha != 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0;
        double c = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
        double next = l + (1 - c) * F * sinAlpha
            * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
        return new State(sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM, next);
    }

    /// <summary>
    /// The fixed point λ = g(λ) by bisection on [L, π]: g(L) − L ≥ 0 and g(π) − π = L − π ≤ 0, so a
    /// root lies between (the fixed-point iteration oscillates there for nearly antipodal points).
    /// </summary>
    private static State Bisect(double l, double sinU1, double cosU1, double sinU2, double cosU2)
    {
        double lo = l, hi = Math.PI;
        var state = Evaluate(lo, l, sinU1, cosU1, sinU2, cosU2);
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++)
        {
            double mid = 0.5 * (lo + hi);
            state = Evaluate(mid, l, sinU1, cosU1, sinU2, cosU2);
            if (state.Next - mid > 0) lo = mid; else hi = mid;
        }
        return Evaluate(0.5 * (lo + hi), l, sinU1, cosU1, sinU2, cosU2);
    }

    private static double Length(State s)
    {
        double u2 = s.Cos2Alpha * (A * A - B * B) / (B * B);
        double a = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
        double b = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
        double c2 = s.Cos2SigmaM;
        double deltaSigma = b * s.SinSigma * (c2 + b / 4 * (s.CosSigma * (-1 + 2 * c2 * c2)
            - b / 6 * c2 * (-3 + 4 * s.SinSigma * s.SinSigma) * (-3 + 4 * c2 * c2)));
        return B * a * (s.Sigma - deltaSigma);
    }

    /// <summary>An angle in radians brought into (−π, π].</summary>
    private static double Normalise(double radians)
    {
        double r = Math.IEEERemainder(radians, 2 * Math.PI);
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }
}
