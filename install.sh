#!/usr/bin/env bash
# Installs the `cepgeo` command for this user: a self-contained build (no .NET needed to run it),
# compiled ahead of time as the benchmarks run it, in ~/.local/share/cepgeo, linked from ~/.local/bin.
# Needs the .NET 10 SDK to build. Run it again after `git pull` to update. Remove: rm -r ~/.local/share/cepgeo ~/.local/bin/cepgeo
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${CEPGEO_PREFIX:-$HOME/.local}"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "install.sh: unsupported machine $(uname -m); run 'dotnet run --project src/CepGeo.Cli -c Release --' instead" >&2; exit 2 ;;
esac
[[ "$(uname -s)" == Darwin ]] && rid="osx-${rid#linux-}"
command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK is needed to build CepGeo (https://dot.net)" >&2; exit 2; }
echo "Compilation de CepGeo ($rid), quelques minutes… / Building CepGeo ($rid), a few minutes…"
staging="$(mktemp -d "${TMPDIR:-/tmp}/cepgeo-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
dotnet publish "$here/src/CepGeo.Cli" -c Release -r "$rid" --self-contained -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -o "$staging" --nologo -v quiet
mkdir -p "$prefix/share" "$prefix/bin"
rm -rf "$prefix/share/cepgeo"
mv "$staging" "$prefix/share/cepgeo"
trap - EXIT
ln -sf "$prefix/share/cepgeo/cepgeo" "$prefix/bin/cepgeo"
echo "cepgeo installé / installed: $prefix/bin/cepgeo ($("$prefix/bin/cepgeo" --version))"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Ajoutez $prefix/bin au PATH / add it to your PATH: echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
