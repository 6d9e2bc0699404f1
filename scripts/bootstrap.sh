#!/usr/bin/env bash
# Install what Peerwork needs: Debian packages (Chromium for browser tests,
# WeasyPrint's libraries, gettext, the PostgreSQL client) and a virtualenv built
# from the lock file. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(chromium libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
                 fonts-dejavu-core gettext poppler-utils postgresql-client)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { echo "Peerwork needs Python 3.11 or newer." >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.peerwork-lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  cp requirements.lock "$stamp"
fi
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e . 2>/dev/null ||
  .venv/bin/python -m pip install -q --no-deps -e .
.venv/bin/python -m peerwork compilemessages -v0 --ignore=.venv
