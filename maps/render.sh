#!/usr/bin/env bash
# Redraws the maps kept in the repository: the demo study and the PACA study (its data in ../shared/data/paca).
# Usage: maps/render.sh [DATE]   (DATE printed on the maps, default today; give one to keep the PNGs byte-stable)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
date=${1:-$(date +%F)}
dotnet build src/CepGeo.Cli -c Release -v q >/dev/null
run() { dotnet run --no-build --project src/CepGeo.Cli -c Release -- render "$@" --date "$date" --force; }
run data/demo/study.json --out maps/demo --format both
# PNG only: the PACA SVGs weigh 2–4 MB each (every vertex of the real boundaries).
run data/paca/study.json --out maps/paca --format png --lambert93
