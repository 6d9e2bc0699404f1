#!/usr/bin/env bash
# Quick start, command 2: install everything and run the whole suite: lint,
# types, translations, then the tests on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PYTHONWARNINGS="${PYTHONWARNINGS:-}"
# One pytest worker per core (pytest-xdist); PYTEST_WORKERS=0 runs in this process.
WORKERS="${PYTEST_WORKERS:-$(nproc)}"

echo "== ruff"
.venv/bin/ruff check src tests bench
echo "== mypy"
.venv/bin/mypy
echo "== translations"
.venv/bin/python scripts/check_translations.py
echo "== migrations"
PEERWORK_DATA_DIR="$(mktemp -d)" .venv/bin/python -m peerwork makemigrations --check --dry-run -v0

echo "== tests on SQLite"
.venv/bin/python -m pytest -p no:cacheprovider -q -n "$WORKERS" "$@"

echo "== tests on PostgreSQL"
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
  fi
fi
DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/peerwork}" \
  .venv/bin/python -m pytest -p no:cacheprovider -q -n "$WORKERS" "$@"
