#!/usr/bin/env bash
# The mapshaper peer of compare.sh (cases A and B): project both layers to Lambert-93, make the flat
# mosaic of the two (-union keeps each piece's cell and zone), and write every piece's area. A piece
# with a cell and a zone is a cell x zone intersection; with a cell and no zone, a gap.
#   mapshaper_case.sh CELLS.geojson CELL_ID ZONES.geojson ZONE_ID OUT.csv
set -euo pipefail
cells=$1 cell_id=$2 zones=$3 zone_id=$4 out=$5
mapshaper="$(dirname "${BASH_SOURCE[0]}")/node_modules/.bin/mapshaper"
"$mapshaper" \
  -i "$cells" name=cells -rename-fields "cell=$cell_id" \
  -i "$zones" name=zones -rename-fields "zone=$zone_id" \
  -proj EPSG:2154 target=cells,zones \
  -union target=cells,zones fields=cell,zone name=pieces \
  -each 'area_km2 = this.area / 1e6' \
  -filter-fields cell,zone,area_km2 \
  -o "$out"
