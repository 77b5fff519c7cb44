#!/usr/bin/python3
"""The geopandas peer of compare.sh, written the way an analyst would: read, to_crs, overlay
(geopandas' overlay = spatial-index candidate pairs + shapely intersection), vectorised areas.

  geopandas_case.py overlay CELLS.geojson CELL_ID ZONES.geojson ZONE_ID
      cases A and B: every cell x zone intersection with its area, and the part of each cell that
      no zone covers (overlay "difference").
  geopandas_case.py study STUDY.json OUT_DIR
      case N: the study's cells against each operator, every metric of the spec (pairs, shares,
      slivers, significance, coverage, gaps, double coverage, partners, dominant zone, nesting,
      misfit), population by areal weighting from the weights layer, zones' outside area,
      operator against operator pairs; CSVs written to OUT_DIR.

Areas in km2 in EPSG:2154 (Lambert-93, what compare.sh asks CepGeo for). Prints "STEP name seconds"
lines and one "RESULT {json}" line (totals compared by compare.sh).
"""
import json
import math
import os
import sys
import time

import geopandas as gpd
import pandas as pd

CRS = "EPSG:2154"
_t0 = time.perf_counter()


def step(name):
    global _t0
    now = time.perf_counter()
    print(f"STEP {name} {now - _t0:.3f}", flush=True)
    _t0 = now


def read(path, id_field, prefix):
    gdf = gpd.read_file(path)[[id_field, "geometry"]].to_crs(CRS)
    gdf = gdf.rename(columns={id_field: prefix})
    gdf[prefix] = gdf[prefix].astype(str)
    return gdf


def overlay_case(cells_path, cell_id, zones_path, zone_id):
    cells = read(cells_path, cell_id, "cell")
    zones = read(zones_path, zone_id, "zone")
    step("load+project")
    pieces = gpd.overlay(cells, zones, how="intersection", keep_geom_type=True)
    inter = math.fsum(pieces.geometry.area) / 1e6
    step("intersection")
    gaps = gpd.overlay(cells, zones, how="difference", keep_geom_type=True)
    gap = math.fsum(gaps.geometry.area) / 1e6
    step("gaps")
    return {"pairs": len(pieces), "intersection_km2": inter, "gap_km2": gap}


def study_case(study_path, out_dir):
    with open(study_path, encoding="utf-8") as f:
        study = json.load(f)
    base = os.path.dirname(os.path.abspath(study_path))
    tol = {"sliverWidthM": 50, "minAreaKm2": 0.01, "minShare": 0.01, "nestShare": 0.95}
    tol.update(study.get("tolerances", {}))
    cells = read(os.path.join(base, study["cells"]["path"]), study["cells"]["id"], "cell")
    ops = {o["key"]: read(os.path.join(base, o["path"]), o["id"], "zone") for o in study["operators"]}
    w = study.get("weights")
    weights = None
    if w:
        weights = gpd.read_file(os.path.join(base, w["path"]))[[w["value"], "geometry"]].to_crs(CRS)
        weights = weights.rename(columns={w["value"]: "w_value"})
        weights["w_area"] = weights.geometry.area
    step("load+project")

    cells["cell_area"] = cells.geometry.area / 1e6
    os.makedirs(out_dir, exist_ok=True)
    result = {}
    pair_tables, cell_tables, zone_tables = [], [], []
    for key, zones in ops.items():
        zones = zones.copy()
        zones["zone_area"] = zones.geometry.area / 1e6
        pieces = gpd.overlay(cells[["cell", "geometry"]], zones[["zone", "geometry"]], how="intersection",
                             keep_geom_type=True)
        pieces["area_km2"] = pieces.geometry.area / 1e6
        pieces["width_m"] = 2 * pieces.geometry.area / pieces.geometry.length
        pieces["pop"] = population(pieces, weights)
        pairs = pieces.drop(columns="geometry").groupby(["cell", "zone"], as_index=False).agg(
            area_km2=("area_km2", "sum"), pop=("pop", "sum"), width_m=("width_m", "max"))
        pairs = pairs.merge(cells[["cell", "cell_area"]], on="cell").merge(zones[["zone", "zone_area"]], on="zone")
        pairs["share_of_cell"] = pairs.area_km2 / pairs.cell_area
        pairs["share_of_zone"] = pairs.area_km2 / pairs.zone_area
        sliver = (pairs.width_m < tol["sliverWidthM"]) | (pairs.area_km2 < tol["minAreaKm2"])
        pairs["significant"] = ~sliver & ((pairs.share_of_cell >= tol["minShare"]) | (pairs.share_of_zone >= tol["minShare"]))
        step(f"{key}.intersection")

        gaps = gpd.overlay(cells[["cell", "geometry"]], zones[["zone", "geometry"]], how="difference",
                           keep_geom_type=True).explode(index_parts=False)
        gaps["area_km2"] = gaps.geometry.area / 1e6
        gaps["width_m"] = 2 * gaps.geometry.area / gaps.geometry.length
        gaps["pop"] = population(gaps, weights)
        real = ~((gaps.width_m < tol["sliverWidthM"]) | (gaps.area_km2 < tol["minAreaKm2"]))
        gap_by_cell = gaps[real].groupby("cell").agg(gap_km2=("area_km2", "sum"), pop_gap=("pop", "sum"))
        raw_gap_by_cell = gaps.groupby("cell").area_km2.sum().rename("raw_gap_km2")
        step(f"{key}.gaps")

        sig = pairs[pairs.significant]
        c = cells[["cell", "cell_area"]].set_index("cell")
        c = c.join(gap_by_cell).join(raw_gap_by_cell).fillna({"gap_km2": 0.0, "pop_gap": 0.0, "raw_gap_km2": 0.0})
        c["coverage"] = 1 - c.raw_gap_km2 / c.cell_area
        c["double_km2"] = (pairs.groupby("cell").area_km2.sum().reindex(c.index, fill_value=0)
                           - (c.cell_area - c.raw_gap_km2)).clip(lower=0)
        c["partners"] = sig.groupby("cell").size().reindex(c.index, fill_value=0)
        dom = pairs.sort_values("share_of_cell", ascending=False).drop_duplicates("cell").set_index("cell")
        c["dominant_zone"] = dom.zone.reindex(c.index)
        c["dominant_share"] = dom.share_of_cell.reindex(c.index).fillna(0)
        c["nested"] = sig[sig.share_of_zone >= tol["nestShare"]].groupby("cell").size().reindex(c.index, fill_value=0)
        c["straddling"] = c.partners - c.nested
        sig_min = sig.assign(m=(sig.area_km2.combine(sig.zone_area - sig.area_km2, min)))
        s1 = c.gap_km2 + sig_min.groupby("cell").m.sum().reindex(c.index, fill_value=0)
        s2 = (c.cell_area - sig.groupby("cell").area_km2.max().reindex(c.index)).fillna(c.cell_area)
        c["misfit"] = (pd.concat([s1, s2], axis=1).min(axis=1) / c.cell_area).clip(0, 1)
        c["coterminous"] = (c.coverage >= tol["nestShare"]) & (c.straddling == 0)
        c["aligned"] = c.coterminous | (c.dominant_share >= tol["nestShare"])
        c["operator"] = key

        z = zones[["zone", "zone_area"]].set_index("zone")
        z["cells"] = sig.groupby("zone").size().reindex(z.index, fill_value=0)
        zmain = pairs.sort_values("share_of_zone", ascending=False).drop_duplicates("zone").set_index("zone")
        z["main_cell"] = zmain.cell.reindex(z.index)
        z["main_share"] = zmain.share_of_zone.reindex(z.index).fillna(0)
        z["nested"] = z.main_share >= tol["nestShare"]
        z["outside_km2"] = (z.zone_area - pairs.groupby("zone").area_km2.sum().reindex(z.index, fill_value=0)).clip(lower=0)
        z["operator"] = key
        step(f"{key}.metrics")

        pair_tables.append(pairs.assign(cell_layer="cells", operator=key))
        cell_tables.append(c.reset_index())
        zone_tables.append(z.reset_index())
        alignment = 1 - (c.misfit * c.cell_area).sum() / c.cell_area.sum()
        result[key] = {"pairs": len(pairs), "intersection_km2": math.fsum(pieces.area_km2),
                       "gap_km2": math.fsum(gaps.area_km2), "alignment": alignment}

    keys = list(ops)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            pa = ops[a].rename(columns={"zone": "cell"})
            p = gpd.overlay(pa, ops[b], how="intersection", keep_geom_type=True)
            p["area_km2"] = p.geometry.area / 1e6
            p["pop"] = population(p, weights)
            pair_tables.append(p.drop(columns="geometry").groupby(["cell", "zone"], as_index=False)
                               .agg(area_km2=("area_km2", "sum"), pop=("pop", "sum"))
                               .assign(cell_layer=a, operator=b))
            step(f"{a}/{b}")

    pd.concat(pair_tables).to_csv(os.path.join(out_dir, "pairs.csv"), index=False)
    pd.concat(cell_tables).to_csv(os.path.join(out_dir, "cells.csv"), index=False)
    pd.concat(zone_tables).to_csv(os.path.join(out_dir, "zones.csv"), index=False)
    step("write")
    return result


def population(pieces, weights):
    """Areal weighting: each weight polygon's count spread by area over the pieces it overlaps."""
    if weights is None:
        return pd.Series(float("nan"), index=pieces.index)
    p = pieces[["geometry"]].assign(piece=range(len(pieces)))
    parts = gpd.overlay(p, weights, how="intersection", keep_geom_type=True)
    parts["pop"] = parts.w_value * parts.geometry.area / parts.w_area
    return pd.Series(parts.groupby("piece").pop.sum().reindex(range(len(pieces)), fill_value=0).to_numpy(),
                     index=pieces.index)


def main(argv):
    if len(argv) == 5 and argv[0] == "overlay":
        result = overlay_case(*argv[1:])
    elif len(argv) == 3 and argv[0] == "study":
        result = study_case(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
