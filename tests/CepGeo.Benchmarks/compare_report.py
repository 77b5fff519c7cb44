#!/usr/bin/python3
"""compare.sh's bookkeeping: the area totals of one run, and the report over all runs.

  compare_report.py totals TOOL CASE OUT LOG
      prints {"<operator>": {"intersection_km2": x, "gap_km2": y}} for one run of one tool
  compare_report.py report RUNS.tsv --case C [--commit H] [--machine M] [--timings FILE]
                    [--recorded recorded.tsv] [--check] [--record]
      medians, ratios, peak memory, area agreement (1e-9 relative), CepGeo's timings, and the
      comparison with the recorded figures (--check: exit 3 when CepGeo is >20% slower).

The gap is the raw uncovered area: CepGeo's gap_km2 leaves slivers out (spec §4), so its total is
sum(cells.csv gap_km2) + summary.json slivers.gap_km2 (one operator); with several operators (case N),
where summary.json only has the slivers of all operators together, sum(area_km2 * (1 - coverage)).
"""
import csv
import datetime
import json
import math
import os
import statistics
import sys

TOLERANCE = 1e-9
SLOWER = 1.20
RECORDED_FIELDS = ["date", "commit", "case", "tool", "runs", "median_s", "peak_mb", "ratio_to_fastest_peer"]


def cepgeo_totals(out):
    with open(os.path.join(out, "pairs.csv"), encoding="utf-8") as f:
        pairs = [r for r in csv.DictReader(f) if r["cell_layer"] == "cells"]
    with open(os.path.join(out, "cells.csv"), encoding="utf-8") as f:
        cells = [r for r in csv.DictReader(f) if r["cell_layer"] == "cells"]
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    ops = list(dict.fromkeys(r["operator"] for r in cells))
    totals = {}
    for op in ops:
        inter = math.fsum(float(r["area_km2"]) for r in pairs if r["operator"] == op)
        rows = [r for r in cells if r["operator"] == op]
        if len(ops) == 1:
            gap = math.fsum(float(r["gap_km2"]) for r in rows) + summary["slivers"]["gap_km2"]
        else:
            gap = math.fsum(float(r["area_km2"]) * (1 - float(r["coverage"])) for r in rows)
        totals[op] = {"intersection_km2": inter, "gap_km2": gap}
    return totals


def result_line(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = [line for line in f if line.startswith("RESULT ")]
    if not lines:
        raise SystemExit(f"no RESULT line in {log}")
    return json.loads(lines[-1][len("RESULT "):])


def totals(tool, case, out, log):
    if tool == "cepgeo":
        return cepgeo_totals(out)
    if tool == "mapshaper":
        with open(out + ".csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        inter = math.fsum(float(r["area_km2"]) for r in rows if r["cell"] and r["zone"])
        gap = math.fsum(float(r["area_km2"]) for r in rows if r["cell"] and not r["zone"])
        return {"zones": {"intersection_km2": inter, "gap_km2": gap}}
    r = result_line(log)
    if case == "N":
        return {k: {"intersection_km2": v["intersection_km2"], "gap_km2": v["gap_km2"]} for k, v in r.items()}
    return {"zones": {"intersection_km2": r["intersection_km2"], "gap_km2": r["gap_km2"]}}


def rel(a, b):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))


def report(argv):
    runs_path = argv[0]
    opts = {"--case": None, "--commit": "unknown", "--machine": "", "--timings": None, "--recorded": None}
    flags = set()
    i = 1
    while i < len(argv):
        if argv[i] in ("--check", "--record"):
            flags.add(argv[i])
            i += 1
        else:
            opts[argv[i]] = argv[i + 1]
            i += 2
    case = opts["--case"]
    with open(runs_path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    tools = list(dict.fromkeys(r[1] for r in rows))
    status = 0
    stats = {}
    for t in tools:
        mine = [r for r in rows if r[1] == t]
        ok = [r for r in mine if r[3] == "ok"]
        if len(ok) < len(mine):
            status = 1
        if not ok:
            continue
        walls = [float(r[4]) for r in ok]
        stats[t] = {
            "runs": len(ok), "failed": len(mine) - len(ok),
            "median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "peak_mb": statistics.median(float(r[5]) for r in ok) / 1024,
            "totals": [json.loads(r[6]) for r in ok],
        }
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    print(f"CepGeo benchmark, case {case} — {now}, commit {opts['--commit']}, {opts['--machine']}")
    print(f"whole process, wall seconds over the runs (tools alternating); peak = max RSS "
          f"(/usr/bin/time -v; PostGIS: server backend VmHWM)")
    print()
    print(f"{'tool':<10} {'runs':>4} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8} {'CepGeo/peer':>11}")
    cep = stats.get("cepgeo")
    for t in tools:
        if t not in stats:
            print(f"{t:<10} all runs failed")
            continue
        s = stats[t]
        ratio = "" if t == "cepgeo" or cep is None else f"{cep['median'] / s['median']:.2f}"
        failed = f"  ({s['failed']} failed)" if s["failed"] else ""
        print(f"{t:<10} {s['runs']:>4} {s['median']:>9.2f} {s['min']:>7.2f} {s['max']:>7.2f} {s['peak_mb']:>8.0f} {ratio:>11}{failed}")

    print()
    print(f"areas, km² in EPSG:2154 (agreement wanted: {TOLERANCE:g} relative to CepGeo)")
    if cep is not None:
        ref = cep["totals"][0]
        for t in tools:
            if t not in stats:
                continue
            # Every run of a tool must give the same totals as its first run.
            for other in stats[t]["totals"][1:]:
                for k in ref:
                    for m in ("intersection_km2", "gap_km2"):
                        if k in other and rel(other[k][m], stats[t]["totals"][0][k][m]) > TOLERANCE:
                            print(f"  {t}: runs disagree on {k} {m}")
                            status = 1
            mine = stats[t]["totals"][0]
            for k in ref:
                if k not in mine:
                    print(f"  {t:<10} {k}: no total")
                    status = 1
                    continue
                cells = []
                for m in ("intersection_km2", "gap_km2"):
                    a, b = mine[k][m], ref[k][m]
                    d = rel(a, b)
                    verdict = "" if t == "cepgeo" else ("ok" if d <= TOLERANCE else "DISAGREE")
                    if verdict == "DISAGREE":
                        status = 1
                    cells.append(f"{m[:-4]} {a:,.6f}" + ("" if t == "cepgeo" else f" (rel {d:.1e} {verdict})"))
                print(f"  {t:<10} {k:<6} " + "   ".join(cells))

    # The --timings of CepGeo's median run (files PREFIX-<run>.timings).
    timings = None
    if opts["--timings"] and cep is not None:
        ok = sorted((float(r[4]), r[2]) for r in rows if r[1] == "cepgeo" and r[3] == "ok")
        wall, run = ok[(len(ok) - 1) // 2]
        timings = f"{opts['--timings']}-{run}.timings"
    if timings and os.path.exists(timings):
        print()
        print(f"where CepGeo's time goes (analyze --timings of its median run, run {run}, {wall:.2f} s; "
              "the rest is .NET start-up and JIT):")
        with open(timings, encoding="utf-8") as f:
            for line in f:
                print("  " + line.rstrip())

    fastest = min((s["median"] for t, s in stats.items() if t != "cepgeo"), default=None)
    recorded_path = opts["--recorded"]
    if recorded_path:
        recorded = []
        if os.path.exists(recorded_path):
            with open(recorded_path, encoding="utf-8") as f:
                recorded = list(csv.DictReader(f, delimiter="\t"))
        if "--check" in flags:
            status = max(status, check(recorded, case, stats, fastest))
        if "--record" in flags:
            new = not os.path.exists(recorded_path)
            with open(recorded_path, "a", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=RECORDED_FIELDS, delimiter="\t", lineterminator="\n")
                if new:
                    w.writeheader()
                for t, s in stats.items():
                    ratio = "" if t != "cepgeo" or fastest is None else f"{s['median'] / fastest:.3f}"
                    w.writerow({"date": now[:10], "commit": opts["--commit"], "case": case, "tool": t, "runs": s["runs"],
                                "median_s": f"{s['median']:.3f}", "peak_mb": f"{s['peak_mb']:.0f}",
                                "ratio_to_fastest_peer": ratio})
            print(f"\nrecorded in {os.path.basename(recorded_path)}")
    return status


def check(recorded, case, stats, fastest):
    """CepGeo against the last recorded figures of the case: >20% slower is a regression. The ratio
    to the fastest peer of the same run is checked too: it does not move when the machine is busy."""
    print()
    print(f"against recorded figures (regression: more than {SLOWER - 1:.0%} slower)")
    mine = [r for r in recorded if r["case"] == case and r["tool"] == "cepgeo"]
    if not mine or "cepgeo" not in stats:
        print("  nothing recorded for this case yet (run with --record)")
        return 0
    last = mine[-1]
    s = stats["cepgeo"]
    worst = 0
    was = float(last["median_s"])
    verdict = "REGRESSION" if s["median"] > SLOWER * was else "ok"
    print(f"  cepgeo median {s['median']:.2f} s, recorded {was:.2f} s ({last['date']}, {last['commit']}): "
          f"x{s['median'] / was:.2f} {verdict}")
    if verdict != "ok":
        worst = 3
    if fastest is not None and last["ratio_to_fastest_peer"]:
        ratio, was_ratio = s["median"] / fastest, float(last["ratio_to_fastest_peer"])
        verdict = "REGRESSION" if ratio > SLOWER * was_ratio else "ok"
        print(f"  cepgeo / fastest peer {ratio:.3f}, recorded {was_ratio:.3f}: {verdict}")
        if verdict != "ok":
            worst = 3
    return worst


def main(argv):
    if len(argv) == 5 and argv[0] == "totals":
        print(json.dumps(totals(*argv[1:])))
        return 0
    if len(argv) >= 2 and argv[0] == "report":
        return report(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
