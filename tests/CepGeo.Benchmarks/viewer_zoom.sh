#!/usr/bin/env bash
# The viewer's national zoom step (issue 23): headless Chromium on data/france/study.json with the default
# layers on, one warm-up cycle then 18 steps in and out; each step timed by the page (performance.now())
# and by the CPU time of its main thread. Adds one line per run, with the load average, to
# tests/CepGeo.Benchmarks/results/<date>-viewer-zoom-<commit>.txt.
#   tests/CepGeo.Benchmarks/viewer_zoom.sh [RUNS]       (default 3; CEPGEO_BENCH_BUILD=0 skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
out="tests/CepGeo.Benchmarks/results/$(date -u +%F)-viewer-zoom-$(git rev-parse --short HEAD).txt"
if [ "${CEPGEO_BENCH_BUILD:-1}" != 0 ]; then
  dotnet build tests/CepGeo.Tests -c Release -v q -nologo >/dev/null
fi
for ((i = 1; i <= runs; i++)); do
  CEPGEO_VIEWER_BENCH_OUT="$PWD/$out" dotnet test tests/CepGeo.Tests -c Release --no-build -v q -nologo \
    --filter "FullyQualifiedName~ViewerNationalTests" >/dev/null
done
cat "$out"
# The median over the runs of each run's median step: CPU of the page's main thread, then the clock.
median() { grep -o "$1=[0-9]*" "$out" | cut -d= -f2 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "$(wc -l < "$out") runs in $out: median zoom step CPU $(median zoomStepCpuMedianMs) ms, clock $(median zoomStepMedianMs) ms"
