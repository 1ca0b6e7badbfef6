#!/usr/bin/env bash
# install-build.sh: what `make` needs to build every edition, installed only when missing.
#   .venv   : the publish package and its pinned dependencies (pyproject.toml), editable
#   Debian  : the OFL typefaces the print and EPUB editions embed (Noto; Noto CJK for Chinese/Japanese),
#             libgs-common (a CMYK output profile for the press PDF), poppler-utils (pdftoppm, pdftotext)
# A second run does nothing and takes well under a second.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
say() { printf 'install-build: %s\n' "$*"; }

FONTS=(fonts-noto-core fonts-noto-cjk libgs-common poppler-utils)
missing=()
for pkg in "${FONTS[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

STAMP="$VENV/.publish-installed"
if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
if [[ ! -f "$STAMP" || pyproject.toml -nt "$STAMP" ]]; then
  say "pip install -e .[test]"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"
  touch "$STAMP"
fi
